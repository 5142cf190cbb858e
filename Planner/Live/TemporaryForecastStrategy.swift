import Allocation

/// TEMPORARY decide step until the backtest's optimizer strategy is committed: weights proportional to the
/// forecast 7-day APY, projected onto the policy, proposed only when the gain clears gas plus the edge.
struct TemporaryForecastStrategy: AllocationStrategy {
    let forecasts: [Double]
    var name: String { "temporary-forecast-proportional" }
    var kind: StrategyKind { .strategy }

    mutating func decide(_ context: AllocationContext) -> AllocationDecision {
        guard !context.killSwitchEngaged else { return .hold }
        let wish = context.constraints.project(forecasts) { context.isAvailable($0) }
        let target = context.constraints.limitingTurnover(from: context.lastApproved, toward: wish)
        guard target.turnoverBps(from: context.lastApproved) >= context.constraints.minChangeBps else { return .hold }
        let gain = context.trailingGainBps(of: target)
        return context.clearsEdge(target, gainBps: gain) ? .rebalance(target, expectedAPYGainBps: gain) : .hold
    }
}
