import Foundation
import SigningPolicy

/// A rolling z-score on the price level: each point against the mean and standard deviation of the `window`
/// points before it, flagged when `|z| > threshold`.
///
/// Defaults: a 168-point window (one week of hours), the seed's 4σ threshold, and a floor of 0.001 (0.1 %) on the
/// deviation so a stablecoin that has not moved for a week does not alarm on a 0.05 % tick. With the floor a
/// flag needs a move of at least 0.4 % from the week's mean; `critical` is reserved for |z| > 2 × threshold.
public struct ZScoreDetector: AnomalyDetector {
    public var window: Int
    public var threshold: Double
    public var deviationFloor: Double

    public init(window: Int = 168, threshold: Double = 4, deviationFloor: Double = 0.001) {
        precondition(window >= 2 && threshold > 0 && deviationFloor > 0)
        self.window = window
        self.threshold = threshold
        self.deviationFloor = deviationFloor
    }

    public var name: String { "zscore" }

    public func flags(in series: PriceSeries, from: Timestamp) -> [Alert] {
        // Around the peg (value − 1) so the running sums keep their precision.
        let values = series.points.map { $0.value - 1 }
        guard values.count > window else { return [] }
        var sum = values[0..<window].reduce(0, +)
        var squares = values[0..<window].reduce(0) { $0 + $1 * $1 }
        var result: [Alert] = []
        for index in window..<values.count {
            let count = Double(window)
            let mean = sum / count
            let deviation = max(sqrt(max(squares / count - mean * mean, 0)), deviationFloor)
            let z = (values[index] - mean) / deviation
            let point = series.points[index]
            if point.at >= from, abs(z) > threshold {
                let severity: AlertSeverity = abs(z) > 2 * threshold ? .critical : .warning
                let message = "\(series.coin) at \(PegMonitor.format(values[index] + 1)) (\(series.source.rawValue)): "
                    + "z = \(Int(z.rounded())) against the previous \(window) points (mean "
                    + "\(PegMonitor.format(mean + 1)))"
                result.append(Alert(at: point.at, market: series.market, detector: name, severity: severity,
                                    message: message))
            }
            let leaving = values[index - window]
            sum += values[index] - leaving
            squares += values[index] * values[index] - leaving * leaving
        }
        return result
    }
}
