/// The planner's optimizer: risk-adjusted forecast yield under the policy's constraints, rebalancing only when the
/// expected gain beats gas plus the policy's edge (the seed's gas optimizer rule).
///
/// Per market: the forecast APY (`YieldForecast`, 3-day half-life) minus `volatilityPenalty` × the standard
/// deviation of its APY over 7 days (a rate that jumps around is a rate that may not last), and nothing for a
/// market the policy would refuse or that could trap funds: risk score at or above the policy's maximum, or
/// utilisation above `maxUtilization` (withdrawals need free liquidity). The eligible markets are filled best
/// first up to their caps (all are stablecoin lending markets of similar risk, so concentration up to the policy's
/// limit is what the constraints allow). A move is proposed when its risk-adjusted gain over the current allocation
/// exceeds both `hysteresisBps` and the gas cost plus `economics.min_edge_bps`, after the cooldown (an ineligible
/// held market scores 0, so leaving it counts as gain).
public struct YieldOptimizer: AllocationStrategy {
    public let name = "optimizer"
    public let kind = StrategyKind.strategy
    public var forecaster: YieldForecast
    public var volatilityPenalty: Double
    public var maxUtilization: Double
    public var hysteresisBps: Int

    public init(forecaster: YieldForecast = YieldForecast(), volatilityPenalty: Double = 0.5,
                maxUtilization: Double = 0.92, hysteresisBps: Int = 25) {
        self.forecaster = forecaster
        self.volatilityPenalty = volatilityPenalty
        self.maxUtilization = maxUtilization
        self.hysteresisBps = hysteresisBps
    }

    /// The risk-adjusted APY per market at the context's step (nil: not eligible).
    public func scores(_ context: AllocationContext) -> [Double?] {
        let forecast = forecaster.forecast(context.panel, step: context.step)
        let volatility = YieldForecast.volatility(context.panel, step: context.step, days: 7)
        return (0..<context.marketCount).map { m in
            let q = context.quote(m)
            let risk = MarketRiskScore.score(q, adapterClass: context.panel.markets[m].adapterClass.rawValue)
            guard q.isAvailable, q.utilization <= maxUtilization, risk < context.constraints.maxRiskScore,
                  context.constraints.capBps(m) > 0
            else { return nil }
            return forecast[m] - volatilityPenalty * volatility[m]
        }
    }

    public mutating func decide(_ context: AllocationContext) -> AllocationDecision {
        guard !context.killSwitchEngaged, context.isPastCooldown else { return .hold }
        let eligible = scores(context)
        let ranking = eligible.indices.filter { eligible[$0] != nil }.sorted { eligible[$0]! > eligible[$1]! }
        let target = context.constraints.fill(ranking: ranking)
        let step = context.constraints.limitingTurnover(from: context.lastApproved, toward: target)
        guard context.changesEnough(step) else { return .hold }
        let values = eligible.map { $0 ?? 0 }
        let gain = Int(((AllocationContext.yield(of: step, apys: values)
                         - AllocationContext.yield(of: context.current, apys: values)) * 10_000).rounded(.down))
        guard context.clearsEdge(step, gainBps: gain), gain > hysteresisBps else {
            return .hold
        }
        return .rebalance(step, expectedAPYGainBps: gain)
    }
}
