import MarketData

/// Forecasts utilisation, then maps it through the market's fitted interest-rate curve.
///
/// Per market, a `RateCurve` is fitted on the last `curveDays` training days. Next week's mean utilisation is
/// today's plus a share β of the gap to its exponentially weighted mean (α = `utilizationAlpha`), β fitted on
/// all training rows by least squares. The forecast is today's APY moved by the curve's change in supply APY
/// between today's utilisation and the forecast one (per-second compounding), so a curve's level error cancels.
public final class RateCurveForecaster: Forecaster {
    public let curveDays: Int
    public let utilizationAlpha: Double
    public private(set) var curves: [Int: RateCurve] = [:]
    public private(set) var reversion = 0.0

    public init(curveDays: Int = 90, utilizationAlpha: Double = 0.1) {
        self.curveDays = curveDays
        self.utilizationAlpha = utilizationAlpha
    }

    public func fit(_ data: ForecastDataset, rows: [ForecastRow]) {
        curves = [:]
        var byMarket: [Int: [Int]] = [:]
        for row in rows { byMarket[row.market, default: []].append(row.index) }
        var xy = 0.0
        var xx = 0.0
        for (market, indices) in byMarket {
            let days = data.series[market].days
            let recent = indices.sorted().suffix(curveDays).filter { days[$0].observed }
            let points = recent.map { days[$0] }
            curves[market] = RateCurve.fit(utilization: points.map(\.utilization), borrowAPR: points.map(\.borrowAPR),
                                           supplyAPR: points.map(\.supplyAPR))
            for t in indices {
                let gap = smoothedUtilization(days, t) - days[t].utilization
                let future = (1...data.horizon).reduce(0.0) { $0 + days[t + $1].utilization } / Double(data.horizon)
                xy += gap * (future - days[t].utilization)
                xx += gap * gap
            }
        }
        reversion = xx > 0 ? xy / xx : 0
    }

    public func predict(_ data: ForecastDataset, rows: [ForecastRow]) -> [Double] {
        rows.map { row in
            let days = data.series[row.market].days
            let today = days[row.index]
            guard let curve = curves[row.market] else { return today.supplyAPY }
            let u = today.utilization
            let forecastU = min(max(u + reversion * (smoothedUtilization(days, row.index) - u), 0), 1)
            let change = Self.apy(curve.supplyAPR(utilization: forecastU)) - Self.apy(curve.supplyAPR(utilization: u))
            return today.supplyAPY + change
        }
    }

    private func smoothedUtilization(_ days: [MarketDay], _ t: Int) -> Double {
        var value = days[max(0, t - 59)].utilization
        for i in max(0, t - 59)...t { value += utilizationAlpha * (days[i].utilization - value) }
        return value
    }

    private static func apy(_ apr: Double) -> Double { AaveSnapshot.apy(fromPercentAPR: apr * 100) }
}
