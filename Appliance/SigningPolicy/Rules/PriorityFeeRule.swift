/// `gas.priority_fee`: `gas.max_priority_fee_per_gas` is at most `gas.max_priority_fee_per_gas_gwei`.
/// Code: `PRIORITY_FEE_ABOVE_CAP`.
public struct PriorityFeeRule: PolicyRule {
    public let name = "gas.priority_fee"
    public let codes: Set<ReasonCode> = [.priorityFeeAboveCap]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.gas.maxPriorityFeePerGas <= policy.gas.maxPriorityFeePerGas else {
            return fail(.priorityFeeAboveCap, "max_priority_fee_per_gas \(proposal.gas.maxPriorityFeePerGas) wei is "
                            + "above the cap \(policy.gas.maxPriorityFeePerGas) wei "
                            + "(\(GweiAmount(wei: policy.gas.maxPriorityFeePerGas)) gwei)")
        }
        return .passed
    }
}
