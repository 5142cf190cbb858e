import Allocation
import SigningPolicy

/// One strategy's backtest: its equity curve and allocations, what it cost, what the policy said, and the metrics.
public struct BacktestRun: Sendable {
    public var name: String
    public var kind: StrategyKind
    /// The grid from the first decision to the end: `equity[i]` and `weights[i]` at `times[i]`.
    public var times: [Timestamp]
    public var equity: [Double]
    public var weights: [TargetWeights]
    public var gasUSD: Double
    public var slippageUSD: Double
    /// Approved proposals that executed (emergency exits included; reverted ones not).
    public var rebalances: Int
    /// Σ executed turnover as a fraction of the portfolio (4.2 = moved 420 % of the capital in all).
    public var turnover: Double
    public var policyRejections: Int
    /// Rejections per reason code.
    public var rejectionReasons: [ReasonCode: Int]
    public var revertedTransactions: Int
    public var killSwitchEngagements: Int
    public var emergencyExitsApproved: Int
    public var emergencyExitsRejected: Int
    /// Kill-switch engagements and releases, in words with their time.
    public var events: [String]
    public var metrics: PerformanceMetrics

    public var finalValueUSD: Double { equity.last ?? 0 }
    public var lowestValueUSD: Double { equity.min() ?? 0 }
}
