import SigningPolicy

/// The kill switch as reported in `status`: engaged or not, why, and since when.
public struct KillSwitchState: Hashable, Sendable {
    public var engaged: Bool
    public var reason: String?
    public var since: Timestamp?

    public init(engaged: Bool, reason: String? = nil, since: Timestamp? = nil) {
        self.engaged = engaged
        self.reason = reason
        self.since = since
    }

    /// `{"engaged", "reason" (or null), "since" (or null)}`.
    public var jsonValue: JSONValue {
        .object([
            "engaged": .bool(engaged),
            "reason": .stringOrNull(reason),
            "since": .stringOrNull(since?.rfc3339),
        ])
    }

    init(json: JSONValue, at path: FieldPath) throws(WireError) {
        let o = try ObjectReader(json, at: path, required: ["engaged", "reason", "since"], ignoringUnknown: true)
        self.engaged = try o["engaged"].value.bool(at: o["engaged"].path)
        let (reasonValue, reasonPath) = o["reason"]
        self.reason = reasonValue == .null ? nil : try reasonValue.string(at: reasonPath)
        let (sinceValue, sincePath) = o["since"]
        self.since = sinceValue == .null ? nil : try sinceValue.timestamp(at: sincePath)
    }
}
