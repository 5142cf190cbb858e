import Foundation

/// A causal forecast of each market's supply APY over the coming days, from the panel through the current step.
///
/// `ewma` weights past steps by `0.5^(age / halfLife)` over a window (default: half-life 3 days, 30 days), so a
/// rate spike of a few hours moves it little and a lasting change moves it within days. Unavailable steps are
/// skipped; a market with no available step forecasts 0.
public struct YieldForecast: Sendable, Hashable {
    public var halfLifeDays: Double
    public var windowDays: Int

    public init(halfLifeDays: Double = 3, windowDays: Int = 30) {
        self.halfLifeDays = halfLifeDays
        self.windowDays = windowDays
    }

    public func forecast(_ panel: MarketPanel, step: Int) -> [Double] {
        let perStep = Double(panel.stepSeconds) / 86_400
        let decay = pow(0.5, perStep / halfLifeDays)
        let first = max(0, step - windowDays * panel.stepsPerDay + 1)
        return (0..<panel.marketCount).map { m in
            var weight = 1.0
            var sum = 0.0
            var total = 0.0
            var t = step
            while t >= first {
                let q = panel.quote(step: t, market: m)
                if q.isAvailable {
                    sum += weight * q.supplyAPY
                    total += weight
                }
                weight *= decay
                t -= 1
            }
            return total > 0 ? sum / total : 0
        }
    }

    /// The standard deviation of each market's APY over the last `days` days (available steps only).
    public static func volatility(_ panel: MarketPanel, step: Int, days: Int) -> [Double] {
        let first = max(0, step - days * panel.stepsPerDay + 1)
        return (0..<panel.marketCount).map { m in
            var n = 0.0, mean = 0.0, m2 = 0.0
            for t in first...step {
                let q = panel.quote(step: t, market: m)
                guard q.isAvailable else { continue }
                n += 1
                let d = q.supplyAPY - mean
                mean += d / n
                m2 += d * (q.supplyAPY - mean)
            }
            return n > 1 ? (m2 / (n - 1)).squareRoot() : 0
        }
    }
}
