/// `gas.max_fee`: `gas.max_fee_per_gas` is at most `gas.max_fee_per_gas_gwei`. Code: `MAX_FEE_ABOVE_CAP`.
public struct MaxFeeRule: PolicyRule {
    public let name = "gas.max_fee"
    public let codes: Set<ReasonCode> = [.maxFeeAboveCap]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.gas.maxFeePerGas <= policy.gas.maxFeePerGas else {
            return fail(.maxFeeAboveCap, "max_fee_per_gas \(proposal.gas.maxFeePerGas) wei is above the cap "
                            + "\(policy.gas.maxFeePerGas) wei (\(GweiAmount(wei: policy.gas.maxFeePerGas)) gwei)")
        }
        return .passed
    }
}
