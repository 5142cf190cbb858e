/// `allocation.max_targets`: at most `allocation.max_targets` entries in `targets`. Code: `TOO_MANY_TARGETS`.
public struct MaxTargetsRule: PolicyRule {
    public let name = "allocation.max_targets"
    public let codes: Set<ReasonCode> = [.tooManyTargets]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.targets.count <= policy.allocation.maxTargets else {
            return fail(.tooManyTargets,
                        "\(proposal.targets.count) targets; the policy allows \(policy.allocation.maxTargets)")
        }
        return .passed
    }
}
