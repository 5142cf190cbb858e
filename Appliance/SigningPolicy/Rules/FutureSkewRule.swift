/// `proposal.max_future_skew`: `created_at` is not ahead of the clock by more than `proposal.max_future_skew`.
/// Code: `PROPOSAL_FROM_FUTURE`.
public struct FutureSkewRule: PolicyRule {
    public let name = "proposal.max_future_skew"
    public let codes: Set<ReasonCode> = [.proposalFromFuture]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        let ahead = Saturating.seconds(from: now, to: proposal.createdAt)
        guard ahead <= policy.proposal.maxFutureSkew.seconds else {
            return fail(.proposalFromFuture,
                        "created \(ahead)s in the future; the allowed skew is \(policy.proposal.maxFutureSkew)")
        }
        return .passed
    }
}
