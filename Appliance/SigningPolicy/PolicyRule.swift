/// One check of the signing policy (modelled on swift-certificates' `VerifierPolicy`).
///
/// A rule is a small value with a stable `name` (`rate.cooldown`), a closed set of `codes`, and a pure
/// `evaluate` that reads the proposal, the policy, a state snapshot and the injected clock.
public protocol PolicyRule: Sendable {
    /// Stable name, used in decisions, audit entries and bundles.
    var name: String { get }
    /// The only codes this rule may report.
    var codes: Set<ReasonCode> { get }
    func evaluate(_ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp) -> RuleResult
}

extension PolicyRule {
    /// A failure with one reason from this rule.
    func fail(_ code: ReasonCode, _ message: String) -> RuleResult {
        .failed([Reason(code: code, rule: name, message: message)])
    }
}
