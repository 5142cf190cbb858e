/// `kind`: the policy accepts this kind of proposal at all (`proposal.kinds`; no safe haven, no emergency exit).
/// Code: `KIND_NOT_ALLOWED`. The kill switch's effect on rebalances is the `kill_switch` rule.
public struct KindRule: PolicyRule {
    public let name = "kind"
    public let codes: Set<ReasonCode> = [.kindNotAllowed]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard policy.proposal.kinds.contains(proposal.kind) else {
            return fail(.kindNotAllowed, "this policy does not allow \(proposal.kind.rawValue) proposals")
        }
        if proposal.kind == .emergencyExit && policy.safeHaven == nil {
            return fail(.kindNotAllowed, "this policy names no safe haven, so it allows no emergency_exit")
        }
        return .passed
    }
}
