/// Baseline: buy and hold the single best market, chosen with hindsight as the market with the highest mean supply
/// APY over the whole backtest (the strongest "pick one market" a person could have made). The policy caps one
/// market at 50 %, so it holds that market at its cap and the rest in the reserve; it moves only to get there
/// (two proposals from the all-reserve start under the 50 % turnover cap).
public struct BuyAndHoldBestStrategy: AllocationStrategy {
    public let name = "buy_and_hold_best"
    public let kind = StrategyKind.baseline
    private var best: Int?

    public init() {}

    public mutating func decide(_ context: AllocationContext) -> AllocationDecision {
        guard !context.killSwitchEngaged, context.isPastCooldown else { return .hold }
        let panel = context.panel
        if best == nil {
            let means = (0..<panel.marketCount).map {
                panel.trailingMeanAPY(market: $0, step: panel.stepCount - 1, days: panel.stepCount) ?? 0
            }
            best = means.indices.max { means[$0] < means[$1] }
        }
        guard let best, context.isAvailable(best) else { return .hold }
        let target = context.constraints.fill(ranking: [best])
        let step = context.constraints.limitingTurnover(from: context.lastApproved, toward: target)
        let gain = context.trailingGainBps(of: step)
        guard context.changesEnough(step), context.clearsEdge(step, gainBps: gain) else { return .hold }
        return .rebalance(step, expectedAPYGainBps: gain)
    }
}
