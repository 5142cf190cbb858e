/// Baselines "highest trailing APY" and "highest forecast", each with hysteresis: fill the markets in order of a
/// yield score, each up to its cap (the best gets 50 %, the next the remaining 45 %), and move only when the new
/// allocation's score-weighted yield beats the current one's by `hysteresisBps` and clears gas plus the policy's
/// edge, after the cooldown.
public struct RankedYieldStrategy: AllocationStrategy {
    public enum Score: Sendable {
        /// The 7-day trailing mean supply APY.
        case trailing
        /// `YieldForecast.ewma` (3-day half-life).
        case forecast
    }

    public let name: String
    public let kind = StrategyKind.baseline
    public var score: Score
    public var hysteresisBps: Int
    private let forecaster = YieldForecast()

    public init(score: Score, hysteresisBps: Int = 25) {
        self.score = score
        self.hysteresisBps = hysteresisBps
        self.name = score == .trailing ? "highest_trailing_apy" : "highest_forecast"
    }

    public mutating func decide(_ context: AllocationContext) -> AllocationDecision {
        guard !context.killSwitchEngaged, context.isPastCooldown else { return .hold }
        let scores = score == .trailing
            ? context.trailingAPYs() : forecaster.forecast(context.panel, step: context.step)
        let ranking = (0..<context.marketCount).filter(context.isAvailable).sorted { scores[$0] > scores[$1] }
        let target = context.constraints.fill(ranking: ranking)
        let step = context.constraints.limitingTurnover(from: context.lastApproved, toward: target)
        let gain = Int(((AllocationContext.yield(of: step, apys: scores)
                         - AllocationContext.yield(of: context.current, apys: scores)) * 10_000).rounded(.down))
        guard context.changesEnough(step), gain > hysteresisBps, context.clearsEdge(step, gainBps: gain) else {
            return .hold
        }
        return .rebalance(step, expectedAPYGainBps: gain)
    }
}
