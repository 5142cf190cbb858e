/// `allocation.weight_sum`: every weight and the reserve lie in 0…10000 and the targets plus the reserve are
/// exactly 10000. Code: `WEIGHT_SUM_INVALID`.
public struct WeightSumRule: PolicyRule {
    public let name = "allocation.weight_sum"
    public let codes: Set<ReasonCode> = [.weightSumInvalid]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        let parts = proposal.targets.map(\.weightBps) + [proposal.reserveBps]
        guard parts.allSatisfy({ (0...10_000).contains($0) }) else {
            return fail(.weightSumInvalid, "every weight and the reserve must lie in 0…10000")
        }
        let total = parts.reduce(0, +)  // at most 10000 × (count) — no overflow
        guard total == 10_000 else {
            return fail(.weightSumInvalid, "targets + reserve = \(total), not 10000")
        }
        return .passed
    }
}
