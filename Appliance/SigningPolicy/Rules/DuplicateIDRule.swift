/// `proposal.duplicate_id`: the id has never been seen, whatever the earlier outcome. Code: `DUPLICATE_ID`.
public struct DuplicateIDRule: PolicyRule {
    public let name = "proposal.duplicate_id"
    public let codes: Set<ReasonCode> = [.duplicateID]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard !state.isDuplicateID else { return fail(.duplicateID, "proposal id \"\(proposal.id)\" was seen before") }
        return .passed
    }
}
