#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Allocation

/// The agent's state: the seed's features (DESIGN: seed §2.2.1) that the data gives, scaled to order one.
///
/// Per market (aligned with the panel's markets; zeros for a market that is unavailable or outside the stage):
/// available, supply APY, 7-day and 30-day trailing APY, utilisation, 7-day TVL change (log), peg deviation,
/// risk score, current weight. Then for the portfolio: reserve weight, gas cost of a 3-adapter rebalance, days
/// since the last rebalance, whether the cooldown has passed, whether the kill switch is engaged.
///
/// Left out because the data has no such series: predicted APY from the forecaster (too slow per step), TVL of
/// DeFi, fear-and-greed, BTC momentum, realised PnL (it is in the reward), impermanent loss (lending only).
public enum AllocationFeatures {
    public static let perMarket = 9
    public static let portfolio = 5

    public static func size(marketCount: Int) -> Int { marketCount * perMarket + portfolio }

    /// The observation at `context`'s step; `enabled[m]` false hides market `m` (a curriculum stage's subset).
    public static func observation(_ context: AllocationContext, enabled: [Bool]) -> [Double] {
        let n = context.marketCount
        var features = [Double](repeating: 0, count: size(marketCount: n))
        let panel = context.panel
        let step = context.step
        let weekAgo = max(0, step - 7 * panel.stepsPerDay)
        for m in 0..<n {
            let q = context.quote(m)
            guard q.isAvailable, m < enabled.count, enabled[m] else { continue }
            let base = m * perMarket
            features[base] = 1
            features[base + 1] = clip(q.supplyAPY * 10, 3)
            features[base + 2] = clip((panel.trailingMeanAPY(market: m, step: step, days: 7) ?? 0) * 10, 3)
            features[base + 3] = clip((panel.trailingMeanAPY(market: m, step: step, days: 30) ?? 0) * 10, 3)
            features[base + 4] = clip(q.utilization, 1)
            let old = panel.quote(step: weekAgo, market: m)
            let grew = old.isAvailable && old.tvlUSD > 0 && q.tvlUSD > 0
            features[base + 5] = grew ? clip(log(q.tvlUSD / old.tvlUSD), 1) : 0
            features[base + 6] = clip((q.price - 1) * 50, 1)
            let risk = MarketRiskScore.score(q, adapterClass: panel.markets[m].adapterClass.rawValue)
            features[base + 7] = Double(risk) / 100
            features[base + 8] = Double(context.current.bps[m]) / 10_000
        }
        let base = n * perMarket
        features[base] = Double(context.current.reserveBps) / 10_000
        features[base + 1] = clip(Double(context.gasCostBps(3)) / 10, 1)
        if let last = context.lastRebalanceAt {
            features[base + 2] = clip(Double(context.now.seconds - last.seconds) / 86_400 / 30, 1)
        } else {
            features[base + 2] = 1
        }
        features[base + 3] = context.isPastCooldown ? 1 : 0
        features[base + 4] = context.killSwitchEngaged ? 1 : 0
        return features
    }

    private static func clip(_ x: Double, _ bound: Double) -> Double {
        x.isFinite ? min(max(x, -bound), bound) : 0
    }
}
