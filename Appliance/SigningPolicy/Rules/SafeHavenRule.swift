/// `kill_switch.safe_haven`: an `emergency_exit`'s targets are exactly one entry, the policy's safe haven, with
/// 10000 − `reserve_bps`. Code: `EXIT_NOT_TO_SAFE_HAVEN`. Not applicable to a `rebalance`.
public struct SafeHavenRule: PolicyRule {
    public let name = "kill_switch.safe_haven"
    public let codes: Set<ReasonCode> = [.exitNotToSafeHaven]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.kind == .emergencyExit else { return .notApplicable }
        guard let haven = policy.safeHaven else {
            return fail(.exitNotToSafeHaven, "the policy names no safe haven")
        }
        let expected = Saturating.add(10_000, -proposal.reserveBps)
        guard proposal.targets.count == 1, let only = proposal.targets.first, only.adapter == haven,
              only.weightBps == expected
        else {
            return fail(.exitNotToSafeHaven,
                        "an emergency_exit must target only the safe haven \(haven.checksummed) with \(expected) bps")
        }
        return .passed
    }
}
