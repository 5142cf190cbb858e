/// Runs every rule of the signing policy against a proposal (DESIGN.md, "The decision pipeline", step 3).
///
/// Every rule runs, so the decision lists all failures. Default deny: the proposal is approved only when at least
/// one rule ran and none failed; a rule that reports a code outside its declared set, or fails without a reason,
/// is itself a rejection.
public struct PolicyEvaluator: Sendable {
    /// The rules in the order they are reported.
    public static let standardRules: [any PolicyRule] = [
        ChainRule(), KindRule(), KillSwitchRule(), SafeHavenRule(),
        AdapterAllowlistRule(), DuplicateAdapterRule(),
        MaxTargetsRule(), MaxWeightRule(), MinWeightRule(), MinReserveRule(), WeightSumRule(), MinChangeRule(),
        CooldownRule(), RebalanceLimitRule(), TurnoverRule(), DailyTurnoverRule(),
        MaxFeeRule(), PriorityFeeRule(), GasLimitRule(), SlippageRule(),
        MinEdgeRule(), RiskScoreRule(),
        MaxAgeRule(), FutureSkewRule(), DuplicateIDRule(),
    ]

    public let rules: [any PolicyRule]

    public init(rules: [any PolicyRule] = PolicyEvaluator.standardRules) {
        self.rules = rules
    }

    /// Evaluates `proposal` with the standard rules.
    public static func evaluate(
        proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> PolicyDecision {
        PolicyEvaluator().evaluate(proposal: proposal, policy: policy, state: state, now: now)
    }

    public func evaluate(
        proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> PolicyDecision {
        var outcomes: [PolicyDecision.RuleOutcome] = []
        var reasons: [Reason] = []
        for rule in rules {
            var result = rule.evaluate(proposal, policy: policy, state: state, now: now)
            if case .failed(let failures) = result,
               failures.isEmpty || failures.contains(where: { !rule.codes.contains($0.code) || $0.rule != rule.name }) {
                // A rule that breaks its own contract cannot be trusted to have said yes either: reject, keeping
                // only codes the rule declared, or its first declared code if none remain.
                let kept = failures.filter { rule.codes.contains($0.code) }.map {
                    Reason(code: $0.code, rule: rule.name, message: $0.message)
                }
                let fallback = rule.codes.sorted { $0.rawValue < $1.rawValue }.first.map {
                    [Reason(code: $0, rule: rule.name, message: "rule \(rule.name) reported an invalid result")]
                } ?? []
                result = .failed(kept.isEmpty ? fallback : kept)
            }
            outcomes.append(PolicyDecision.RuleOutcome(rule: rule.name, result: result))
            reasons.append(contentsOf: result.reasons)
        }
        let approved = !outcomes.isEmpty && outcomes.allSatisfy(\.passed)
        return PolicyDecision(
            approved: approved, reasons: reasons, rules: outcomes,
            turnoverBps: Turnover.bps(of: proposal, against: state.lastApproved)
        )
    }
}
