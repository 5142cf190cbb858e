/// `rate.max_rebalances_per_24h`: with this one, at most `rate.max_rebalances_per_24h` approvals decided in the
/// rolling 24 h. Code: `REBALANCE_LIMIT_24H`. Not applicable to an `emergency_exit`.
public struct RebalanceLimitRule: PolicyRule {
    public let name = "rate.max_rebalances_per_24h"
    public let codes: Set<ReasonCode> = [.rebalanceLimit24h]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.kind == .rebalance else { return .notApplicable }
        let count = state.approvals(inWindowEndingAt: now).count
        guard count + 1 <= policy.rate.maxRebalancesPer24h else {
            return fail(.rebalanceLimit24h,
                        "\(count) approved in the last 24 h; the policy allows \(policy.rate.maxRebalancesPer24h)")
        }
        return .passed
    }
}
