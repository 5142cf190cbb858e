/// `gas.gas_limit`: `gas.gas_limit` is at most `gas.max_gas_limit`. Code: `GAS_LIMIT_ABOVE_CAP`.
public struct GasLimitRule: PolicyRule {
    public let name = "gas.gas_limit"
    public let codes: Set<ReasonCode> = [.gasLimitAboveCap]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.gas.gasLimit <= policy.gas.maxGasLimit else {
            return fail(.gasLimitAboveCap, "gas_limit \(proposal.gas.gasLimit) is above \(policy.gas.maxGasLimit)")
        }
        return .passed
    }
}
