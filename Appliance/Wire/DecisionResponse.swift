import SigningPolicy

/// The answer to a `propose` request: approved with the signed transaction, or rejected with every failing rule.
public struct DecisionResponse: Hashable, Sendable {
    /// The outcome; only an approval carries a signature, so a rejection cannot carry one by construction.
    public enum Outcome: Hashable, Sendable {
        case approved(SignedTransaction)
        case rejected
    }

    public var proposalID: String
    public var outcome: Outcome
    /// Every failing rule (empty when approved).
    public var reasons: [Reason]
    public var audit: AuditReference

    public init(proposalID: String, outcome: Outcome, reasons: [Reason], audit: AuditReference) {
        self.proposalID = proposalID
        self.outcome = outcome
        self.reasons = reasons
        self.audit = audit
    }

    public var isApproved: Bool {
        if case .approved = outcome { return true }
        return false
    }

    /// `{"type": "decision", "proposal_id", "decision", "reasons", "audit", "signed"?}` in that order.
    public var jsonValue: JSONValue {
        var members: [JSONValue.Member] = [
            .init("type", .string("decision")),
            .init("proposal_id", .string(proposalID)),
            .init("decision", .string(isApproved ? "approved" : "rejected")),
            .init("reasons", .array(reasons.map {
                .object(["code": .string($0.code.rawValue), "rule": .string($0.rule), "message": .string($0.message)])
            })),
            .init("audit", audit.jsonValue),
        ]
        if case .approved(let signed) = outcome { members.append(.init("signed", signed.jsonValue)) }
        return .object(members)
    }

    init(json: JSONValue, at path: FieldPath) throws(WireError) {
        let o = try ObjectReader(
            json, at: path, required: ["type", "proposal_id", "decision", "reasons", "audit"], optional: ["signed"],
            ignoringUnknown: true)
        self.proposalID = try o["proposal_id"].value.string(at: o["proposal_id"].path)
        let reasonsPath = o["reasons"].path
        var reasons: [Reason] = []
        for (i, element) in try o["reasons"].value.array(at: reasonsPath, maxCount: Int.max).enumerated() {
            let r = try ObjectReader(
                element, at: reasonsPath.appending(index: i), required: ["code", "rule", "message"],
                ignoringUnknown: true)
            let (codeValue, codePath) = r["code"]
            guard let code = ReasonCode(rawValue: try codeValue.string(at: codePath)) else {
                throw codePath.invalid("unknown reason code")
            }
            reasons.append(Reason(
                code: code, rule: try r["rule"].value.string(at: r["rule"].path),
                message: try r["message"].value.string(at: r["message"].path)))
        }
        self.reasons = reasons
        self.audit = try AuditReference(json: o["audit"].value, at: o["audit"].path)
        let (decisionValue, decisionPath) = o["decision"]
        let signedPath = path.appending("signed")
        switch try decisionValue.string(at: decisionPath) {
        case "approved":
            guard let signed = o.value("signed") else {
                throw WireError(.missingField, "\(signedPath): required when approved")
            }
            self.outcome = .approved(try SignedTransaction(json: signed, at: signedPath))
        case "rejected":
            guard o.value("signed") == nil else { throw signedPath.invalid("present on a rejection") }
            self.outcome = .rejected
        default:
            throw decisionPath.invalid("expected \"approved\" or \"rejected\"")
        }
    }
}
