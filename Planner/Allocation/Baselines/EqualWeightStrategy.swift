/// Baseline 1/N: equal weights on the available markets (on the policy's 5 % grid, reserve at its minimum); when
/// the constraints allow fewer positions than there are markets, on the largest by TVL.
/// It moves when the 1/N target differs from the last approved allocation by the policy's minimum change (at the
/// start, when a market appears or disappears, or after drift), once the cooldown has passed and the move clears
/// gas plus the policy's edge by its trailing-yield estimate.
public struct EqualWeightStrategy: AllocationStrategy {
    public let name = "equal_weight"
    public let kind = StrategyKind.baseline
    public init() {}

    public mutating func decide(_ context: AllocationContext) -> AllocationDecision {
        guard !context.killSwitchEngaged, context.isPastCooldown else { return .hold }
        let largest = (0..<context.marketCount).filter(context.isAvailable)
            .sorted { context.quote($0).tvlUSD > context.quote($1).tvlUSD }.prefix(context.constraints.maxTargets)
        let wish = (0..<context.marketCount).map { largest.contains($0) ? 1.0 : 0 }
        let target = context.constraints.project(wish, isAllowed: context.isAvailable)
        let step = context.constraints.limitingTurnover(from: context.lastApproved, toward: target)
        let gain = context.trailingGainBps(of: step)
        guard context.changesEnough(step), context.clearsEdge(step, gainBps: gain) else { return .hold }
        return .rebalance(step, expectedAPYGainBps: gain)
    }
}
