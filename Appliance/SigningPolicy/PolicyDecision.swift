/// The outcome of evaluating one proposal: approved only when no rule failed; every failing reason otherwise.
public struct PolicyDecision: Hashable, Sendable {
    /// One rule's verdict, for the audit log and the bundle's `decision.rules`.
    public struct RuleOutcome: Hashable, Sendable {
        public var rule: String
        public var result: RuleResult

        public init(rule: String, result: RuleResult) {
            self.rule = rule
            self.result = result
        }

        /// `passed` in the bundle: the rule did not fail (a rule that does not apply did not fail).
        public var passed: Bool { result.allows }
    }

    public var approved: Bool
    /// Every failing reason, in rule order. Empty exactly when approved.
    public var reasons: [Reason]
    /// Every rule that ran, in order.
    public var rules: [RuleOutcome]
    /// The proposal's turnover in bps against the last approved allocation (the caller books it on approval).
    public var turnoverBps: Int

    public init(approved: Bool, reasons: [Reason], rules: [RuleOutcome], turnoverBps: Int) {
        self.approved = approved
        self.reasons = reasons
        self.rules = rules
        self.turnoverBps = turnoverBps
    }

    /// The distinct codes of `reasons`, in order.
    public var codes: [ReasonCode] {
        var out: [ReasonCode] = []
        for reason in reasons where !out.contains(reason.code) { out.append(reason.code) }
        return out
    }
}
