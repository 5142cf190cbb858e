/// `rate.max_turnover`: the proposal's turnover (½ Σ |new − old| over adapters and reserve, against the last
/// approved allocation) is at most `rate.max_turnover_bps`. Code: `TURNOVER_ABOVE_MAX`. Not applicable to an
/// `emergency_exit`.
public struct TurnoverRule: PolicyRule {
    public let name = "rate.max_turnover"
    public let codes: Set<ReasonCode> = [.turnoverAboveMax]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.kind == .rebalance else { return .notApplicable }
        let turnover = Turnover.bps(of: proposal, against: state.lastApproved)
        guard turnover <= policy.rate.maxTurnoverBps else {
            return fail(.turnoverAboveMax, "turnover \(turnover) bps is above \(policy.rate.maxTurnoverBps) bps")
        }
        return .passed
    }
}
