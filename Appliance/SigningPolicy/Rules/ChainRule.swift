/// `chain`: the proposal is for the policy's chain. Code: `WRONG_CHAIN`.
public struct ChainRule: PolicyRule {
    public let name = "chain"
    public let codes: Set<ReasonCode> = [.wrongChain]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.chainID == policy.chainID else {
            return fail(.wrongChain, "chain_id \(proposal.chainID) is not the policy's chain \(policy.chainID)")
        }
        return .passed
    }
}
