import SigningPolicy

/// A way of choosing target allocations: the optimizer, the PPO agent, the baselines.
///
/// At each step the backtest (or the live loop) hands the strategy an `AllocationContext`: the market history up to
/// and including the current step, the allocation it holds now, the constraints of the policy and the gas
/// economics. The strategy answers `.hold` or `.rebalance` with target weights (which it should build with
/// `context.constraints.project(_:)` or `fill(ranking:)`; the simulator shortens moves above the turnover cap and
/// the policy rejects anything else, counting a rejection). A strategy keeps its own state (hysteresis, a
/// trained network) between calls; one instance serves one run.
///
/// The claim `expectedAPYGainBps` goes into the proposal's `expected.apy_gain_bps`; nil lets the simulator use
/// the standard estimate (`AllocationContext.trailingGainBps(of:)`: 7-day trailing APYs of the new against the
/// current allocation).
public protocol AllocationStrategy {
    /// The name in reports and JSON (`optimizer`, `equal_weight`, `ppo`, …).
    var name: String { get }
    /// `.strategy` for the planner's own strategies, `.baseline` for the comparisons.
    var kind: StrategyKind { get }
    mutating func decide(_ context: AllocationContext) -> AllocationDecision
}

/// Whether a strategy is one of the planner's own or a baseline to compare with (the JSON's `kind`).
public enum StrategyKind: String, Sendable, Hashable {
    case strategy
    case baseline
}

/// A strategy's answer at one step.
public enum AllocationDecision: Sendable, Hashable {
    /// Keep the current allocation: no proposal.
    case hold
    /// Propose `target`, claiming `expectedAPYGainBps` (nil: the standard estimate).
    case rebalance(TargetWeights, expectedAPYGainBps: Int?)
}

/// What a strategy may see when deciding at `step`: history through `step`, never after.
public struct AllocationContext: Sendable {
    public let panel: MarketPanel
    public let step: Int
    /// The allocation the portfolio holds now, after drift (weights of current value).
    public let current: TargetWeights
    /// The last allocation the policy approved (what turnover is measured against).
    public let lastApproved: TargetWeights
    public let constraints: AllocationConstraints
    /// When the last approved proposal was decided; nil before the first.
    public let lastRebalanceAt: Timestamp?
    /// The portfolio's value in USD now.
    public let portfolioValueUSD: Double
    /// What one rebalance touching `n` adapters would cost now in bps of the portfolio, from the gas model and
    /// the fee the gas optimizer would choose.
    public let gasCostBps: @Sendable (_ adaptersTouched: Int) -> Int
    /// The policy's minimum claimed edge (`economics.min_edge_bps`).
    public let minEdgeBps: Int
    /// Whether the kill switch is engaged (only an emergency exit can pass; strategies should hold).
    public let killSwitchEngaged: Bool
    /// Turnover (bps) and number of the approvals in the last 24 h, as the policy's rolling windows count them.
    public let turnover24hBps: Int
    public let rebalances24h: Int
    /// The expected one-off cost of moving to a target, in bps of the portfolio: gas plus slippage on every leg
    /// (the simulator's models at this step; 0 when no simulator is behind the context).
    public let tradeCostBps: @Sendable (TargetWeights) -> Double

    public init(panel: MarketPanel, step: Int, current: TargetWeights, lastApproved: TargetWeights,
                constraints: AllocationConstraints, lastRebalanceAt: Timestamp?, portfolioValueUSD: Double,
                gasCostBps: @escaping @Sendable (Int) -> Int, minEdgeBps: Int, killSwitchEngaged: Bool,
                turnover24hBps: Int = 0, rebalances24h: Int = 0,
                tradeCostBps: @escaping @Sendable (TargetWeights) -> Double = { _ in 0 }) {
        self.panel = panel
        self.step = step
        self.current = current
        self.lastApproved = lastApproved
        self.constraints = constraints
        self.lastRebalanceAt = lastRebalanceAt
        self.portfolioValueUSD = portfolioValueUSD
        self.gasCostBps = gasCostBps
        self.minEdgeBps = minEdgeBps
        self.killSwitchEngaged = killSwitchEngaged
        self.turnover24hBps = turnover24hBps
        self.rebalances24h = rebalances24h
        self.tradeCostBps = tradeCostBps
    }

    public var now: Timestamp { panel.times[step] }
    public var marketCount: Int { panel.marketCount }
    public func quote(_ market: Int) -> MarketQuote { panel.quote(step: step, market: market) }
    public func isAvailable(_ market: Int) -> Bool { quote(market).isAvailable }

    /// The portfolio APY of `weights` at `apys` (the reserve earns nothing), as a fraction.
    public static func yield(of weights: TargetWeights, apys: [Double]) -> Double {
        weights.bps.indices.reduce(0) { $0 + Double(weights.bps[$1]) / 10_000 * apys[$1] }
    }

    /// The 7-day trailing mean supply APY per market (0 where unavailable).
    public func trailingAPYs(days: Int = 7) -> [Double] {
        (0..<marketCount).map { panel.trailingMeanAPY(market: $0, step: step, days: days) ?? 0 }
    }

    /// The standard claim for moving from `current` to `target`: the difference of their trailing 7-day yields,
    /// in bps of APY, rounded down.
    public func trailingGainBps(of target: TargetWeights) -> Int {
        let apys = trailingAPYs()
        let gain = AllocationContext.yield(of: target, apys: apys) - AllocationContext.yield(of: current, apys: apys)
        return Int((gain * 10_000).rounded(.down))
    }

    /// Adapters whose weight differs between `current` and `target` (what a rebalance touches).
    public func adaptersTouched(by target: TargetWeights) -> Int {
        target.bps.indices.filter { target.bps[$0] != current.bps[$0] }.count
    }

    /// Whether the policy's cooldown has passed since the last approval (always true before the first).
    public var isPastCooldown: Bool {
        guard let last = lastRebalanceAt else { return true }
        return now.seconds - last.seconds >= constraints.cooldownSeconds
    }

    /// Whether the policy's rolling 24 h windows leave room for a move to `target` (count and turnover).
    public func fitsDailyBudget(_ target: TargetWeights) -> Bool {
        rebalances24h < constraints.maxRebalancesPer24h
            && turnover24hBps + target.turnoverBps(from: lastApproved) <= constraints.maxTurnoverBpsPer24h
    }

    /// Whether `target` differs enough from the last approved allocation for the policy's minimum change.
    public func changesEnough(_ target: TargetWeights) -> Bool {
        target.turnoverBps(from: lastApproved) >= constraints.minChangeBps
    }

    /// Whether a move to `target` with `gainBps` claimed clears gas plus the policy's edge (the seed's gas
    /// optimizer rule: rebalance only when the expected gain beats its gas cost plus the edge).
    public func clearsEdge(_ target: TargetWeights, gainBps: Int) -> Bool {
        gainBps > gasCostBps(adaptersTouched(by: target)) + minEdgeBps
    }
}
