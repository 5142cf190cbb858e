/// An exponentially weighted moving average of the daily APY up to today, its smoothing chosen on the
/// training rows (the grid value with the lowest absolute error).
public final class EWMAForecaster: Forecaster {
    /// Candidate smoothing factors (weight of the newest day).
    public let candidates: [Double]
    public private(set) var alpha: Double

    public init(candidates: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], alpha: Double = 0.5) {
        self.candidates = candidates
        self.alpha = alpha
    }

    public func fit(_ data: ForecastDataset, rows: [ForecastRow]) {
        guard !rows.isEmpty else { return }
        var best = (alpha, Double.infinity)
        for a in candidates {
            let error = rows.reduce(0.0) { $0 + abs(Self.average(data, $1, alpha: a) - (data.target($1) ?? 0)) }
            if error < best.1 { best = (a, error) }
        }
        alpha = best.0
    }

    public func predict(_ data: ForecastDataset, rows: [ForecastRow]) -> [Double] {
        rows.map { Self.average(data, $0, alpha: alpha) }
    }

    /// The EWMA over the last 60 days up to the row (older weights are negligible for α ≥ 0.1).
    static func average(_ data: ForecastDataset, _ row: ForecastRow, alpha: Double) -> Double {
        let days = data.series[row.market].days
        var value = days[max(0, row.index - 59)].supplyAPY
        for i in max(0, row.index - 58)...row.index { value += alpha * (days[i].supplyAPY - value) }
        return value
    }
}
