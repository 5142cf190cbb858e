/// `rate.cooldown`: at least `rate.cooldown` since the last approved proposal. A last approval in the future
/// (a clock that stepped back) counts as too recent. Code: `COOLDOWN_ACTIVE`. Not applicable to an
/// `emergency_exit`.
public struct CooldownRule: PolicyRule {
    public let name = "rate.cooldown"
    public let codes: Set<ReasonCode> = [.cooldownActive]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.kind == .rebalance else { return .notApplicable }
        guard let last = state.lastRebalanceAt else { return .passed }
        let elapsed = Saturating.seconds(from: last, to: now)
        guard elapsed >= policy.rate.cooldown.seconds else {
            let wait = Saturating.subtract(policy.rate.cooldown.seconds, max(elapsed, 0))
            return fail(.cooldownActive, "last approved at \(last); cooldown \(policy.rate.cooldown) has \(wait)s left")
        }
        return .passed
    }
}
