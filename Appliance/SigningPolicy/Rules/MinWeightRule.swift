/// `allocation.min_weight`: every non-zero weight is at least `allocation.min_weight_bps` (no dust positions).
/// Code: `WEIGHT_BELOW_MIN`.
public struct MinWeightRule: PolicyRule {
    public let name = "allocation.min_weight"
    public let codes: Set<ReasonCode> = [.weightBelowMin]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        let bound = policy.allocation.minWeightBps
        let under = proposal.targets.filter { $0.weightBps != 0 && ($0.weightBps < bound || $0.weightBps < 0) }
        guard under.isEmpty else {
            let list = under.map { "\($0.adapter.checksummed) \($0.weightBps)" }.joined(separator: ", ")
            return fail(.weightBelowMin, "non-zero weight below \(bound): \(list)")
        }
        return .passed
    }
}
