/// The planner's optimizer: risk-adjusted forecast yield under the policy's constraints, moving only when the
/// expected gain pays for the move (the seed's gas optimizer rule, extended to slippage).
///
/// Per market: the forecast APY (`YieldForecast`, 3-day half-life) minus `volatilityPenalty` × the standard
/// deviation of its APY over `volatilityDays` (a rate that jumps around may not last) minus `pegPenalty` × the
/// largest deviation of its coin's price from 1 over the same days (a coin that wobbles may de-peg: the seed's peg
/// factor; a 0.5 % wobble costs 1 point of APY); a market the policy would
/// refuse or that could trap funds is not eligible: risk score at or above the policy's maximum, or a mean
/// utilisation over the last 24 h above `maxUtilization` (withdrawals need free liquidity; the mean keeps an hour's
/// spike from flipping the choice back and forth). Eligible markets are filled best first up to their
/// caps (they are all stablecoin lending markets, so concentration up to the policy's limit is what the
/// constraints allow), the move shortened to the per-proposal turnover cap.
///
/// A move is proposed after the cooldown, within the 24 h budgets, when its risk-adjusted gain over the current
/// allocation exceeds the policy's edge plus gas (`economics.min_edge_bps`, the appliance's own rule) and, over
/// `horizonDays` of holding, `costMultiple` × its one-off cost (gas and slippage). An ineligible held market scores
/// 0, so leaving it counts as gain.
///
/// Defaults were chosen on 2023-07-01…2024-06-30 of the hourly data (a grid over the volatility penalty 0/0.25, peg
/// penalty 0/2, utilisation bound 0.92/0.97 and confirmation 0/6 h, by net APY), before looking at the year after;
/// the volatility penalty did not help there and is off. A target must also have been the wanted one for
/// `confirmationHours` in a row (a debounce: rates that cross for an hour do not move the money).
public struct YieldOptimizer: AllocationStrategy {
    public let name = "optimizer"
    public let kind = StrategyKind.strategy
    public var forecaster: YieldForecast
    public var volatilityPenalty: Double
    public var volatilityDays: Int
    public var pegPenalty: Double
    public var maxUtilization: Double
    public var horizonDays: Double
    public var costMultiple: Double
    public var confirmationHours: Int
    private var wanted: TargetWeights?
    private var wantedSince = 0

    public init(forecaster: YieldForecast = YieldForecast(), volatilityPenalty: Double = 0, volatilityDays: Int = 30,
                pegPenalty: Double = 2, maxUtilization: Double = 0.97, horizonDays: Double = 14,
                costMultiple: Double = 2, confirmationHours: Int = 6) {
        self.pegPenalty = pegPenalty
        self.confirmationHours = confirmationHours
        self.forecaster = forecaster
        self.volatilityPenalty = volatilityPenalty
        self.volatilityDays = volatilityDays
        self.maxUtilization = maxUtilization
        self.horizonDays = horizonDays
        self.costMultiple = costMultiple
    }

    /// The risk-adjusted APY per market at the context's step (nil: not eligible).
    public func scores(_ context: AllocationContext) -> [Double?] {
        let forecast = forecaster.forecast(context.panel, step: context.step)
        let volatility = YieldForecast.volatility(context.panel, step: context.step, days: volatilityDays)
        let panel = context.panel
        let first = max(0, context.step - panel.stepsPerDay + 1)
        let pegFirst = max(0, context.step - volatilityDays * panel.stepsPerDay + 1)
        return (0..<context.marketCount).map { m in
            let q = context.quote(m)
            let risk = MarketRiskScore.score(q, adapterClass: panel.markets[m].adapterClass.rawValue)
            let utilization = (first...context.step).reduce(0.0) { $0 + panel.quote(step: $1, market: m).utilization }
                / Double(context.step - first + 1)
            guard q.isAvailable, utilization <= maxUtilization, risk < context.constraints.maxRiskScore,
                  context.constraints.capBps(m) > 0
            else { return nil }
            var wobble = 0.0
            for t in pegFirst...context.step {
                let p = panel.quote(step: t, market: m)
                if p.isAvailable { wobble = max(wobble, abs(1 - p.price)) }
            }
            return forecast[m] - volatilityPenalty * volatility[m] - pegPenalty * wobble
        }
    }

    public mutating func decide(_ context: AllocationContext) -> AllocationDecision {
        guard !context.killSwitchEngaged else { return .hold }
        let eligible = scores(context)
        let ranking = eligible.indices.filter { eligible[$0] != nil }.sorted { eligible[$0]! > eligible[$1]! }
        let target = context.constraints.fill(ranking: ranking)
        if target != wanted {
            wanted = target
            wantedSince = context.step
        }
        let confirmed = (context.step - wantedSince) * Int(context.panel.stepSeconds) >= confirmationHours * 3_600
        let step = context.constraints.limitingTurnover(from: context.lastApproved, toward: target)
        guard context.isPastCooldown, confirmed || context.lastRebalanceAt == nil, context.changesEnough(step),
              context.fitsDailyBudget(step)
        else { return .hold }
        let values = eligible.map { $0 ?? 0 }
        let gain = Int(((AllocationContext.yield(of: step, apys: values)
                         - AllocationContext.yield(of: context.current, apys: values)) * 10_000).rounded(.down))
        guard context.clearsEdge(step, gainBps: gain),
              Double(gain) * horizonDays / 365 > costMultiple * context.tradeCostBps(step)
        else { return .hold }
        return .rebalance(step, expectedAPYGainBps: gain)
    }
}
