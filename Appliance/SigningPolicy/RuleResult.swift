/// What one rule says about one proposal. A rule never throws to say no: it returns `.failed`.
public enum RuleResult: Hashable, Sendable {
    case passed
    /// At least one reason, each with the rule's name and one of its codes.
    case failed([Reason])
    /// The rule does not apply to this proposal (an exemption, or a kind it does not govern).
    case notApplicable

    /// The reasons if failed; otherwise empty.
    public var reasons: [Reason] {
        if case .failed(let reasons) = self { return reasons }
        return []
    }

    /// Whether the rule did not fail (passed or not applicable).
    public var allows: Bool {
        if case .failed = self { return false }
        return true
    }
}
