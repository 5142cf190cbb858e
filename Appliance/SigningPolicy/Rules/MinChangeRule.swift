/// `allocation.min_change`: a rebalance moves at least `allocation.min_change_bps` (turnover against the last
/// approved allocation). Code: `CHANGE_BELOW_MIN`. Not applicable to an `emergency_exit`.
public struct MinChangeRule: PolicyRule {
    public let name = "allocation.min_change"
    public let codes: Set<ReasonCode> = [.changeBelowMin]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.kind == .rebalance else { return .notApplicable }
        let turnover = Turnover.bps(of: proposal, against: state.lastApproved)
        guard turnover >= policy.allocation.minChangeBps else {
            return fail(.changeBelowMin,
                        "moves \(turnover) bps; the minimum change is \(policy.allocation.minChangeBps) bps")
        }
        return .passed
    }
}
