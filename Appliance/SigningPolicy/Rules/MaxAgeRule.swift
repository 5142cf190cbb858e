/// `proposal.max_age`: `created_at` is no older than `proposal.max_age` at decision time. Code: `PROPOSAL_EXPIRED`.
public struct MaxAgeRule: PolicyRule {
    public let name = "proposal.max_age"
    public let codes: Set<ReasonCode> = [.proposalExpired]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        let age = Saturating.seconds(from: proposal.createdAt, to: now)
        guard age <= policy.proposal.maxAge.seconds else {
            return fail(.proposalExpired, "created \(age)s ago; the maximum age is \(policy.proposal.maxAge)")
        }
        return .passed
    }
}
