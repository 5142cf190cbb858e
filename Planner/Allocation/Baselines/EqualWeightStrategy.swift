/// Baseline 1/N: equal weights on every available market (on the policy's 5 % grid, reserve at its minimum).
/// It moves when the 1/N target differs from the last approved allocation by the policy's minimum change (at the
/// start, when a market appears or disappears, or after drift), once the cooldown has passed and the move clears
/// gas plus the policy's edge by its trailing-yield estimate.
public struct EqualWeightStrategy: AllocationStrategy {
    public let name = "equal_weight"
    public let kind = StrategyKind.baseline
    public init() {}

    public mutating func decide(_ context: AllocationContext) -> AllocationDecision {
        guard !context.killSwitchEngaged, context.isPastCooldown else { return .hold }
        let wish = (0..<context.marketCount).map { context.isAvailable($0) ? 1.0 : 0 }
        let target = context.constraints.project(wish, isAllowed: context.isAvailable)
        let step = context.constraints.limitingTurnover(from: context.lastApproved, toward: target)
        let gain = context.trailingGainBps(of: step)
        guard context.changesEnough(step), context.clearsEdge(step, gainBps: gain) else { return .hold }
        return .rebalance(step, expectedAPYGainBps: gain)
    }
}
