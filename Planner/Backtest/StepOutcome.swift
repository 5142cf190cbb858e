import Allocation
import SigningPolicy

/// What happened in one step of a `MarketSimulator`: the proposal made (if any) and the policy's answer, the
/// costs charged, and the portfolio's value before the step's trade and at the next step.
public struct StepOutcome: Sendable {
    /// The step decided at (the period runs from `times[step]` to `times[step + 1]`).
    public var step: Int
    public var valueBeforeUSD: Double
    public var valueAfterUSD: Double
    public var gasUSD: Double
    public var slippageUSD: Double
    /// The kind of the proposal evaluated this step; nil when none was made.
    public var proposalKind: Proposal.Kind?
    public var approved: Bool
    /// The policy's reason codes when rejected.
    public var reasons: [ReasonCode]
    /// Turnover executed this step in bps of the portfolio (0 when nothing traded).
    public var turnoverBps: Int
    /// Approved, but a leg's slippage exceeded the proposal's `max_slippage_bps`: the transaction reverted, gas
    /// was paid and nothing moved.
    public var reverted: Bool
    /// Set when the kill switch was engaged or released this step, in words.
    public var event: String?
    /// The weights held at the end of the step (after drift).
    public var weights: TargetWeights

    /// The step's return after every cost: `valueAfter / valueBefore − 1`.
    public var periodReturn: Double { valueBeforeUSD > 0 ? valueAfterUSD / valueBeforeUSD - 1 : 0 }
}
