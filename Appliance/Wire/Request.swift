import SigningPolicy

/// A request from a client (the planner or the operator's CLI), decoded strictly from one frame.
public enum Request: Hashable, Sendable {
    /// `{"type": "propose", "proposal": {…}}`
    case propose(Proposal)
    /// `{"type": "status"}`
    case status
    /// `{"type": "engage_kill_switch", "reason": "…"}`; answered with a `status` frame.
    case engageKillSwitch(reason: String)

    /// Decodes one frame's payload.
    ///
    /// Order of checks: UTF-8 and JSON grammar and depth (`MALFORMED_JSON`), duplicate keys (`DUPLICATE_KEY`),
    /// a top level that is not an object (`MALFORMED_JSON`: a frame must hold one JSON object, so anything else
    /// is not a well-formed message), `type` (`MISSING_FIELD`; not a string is `INVALID_FIELD`; an unknown
    /// value is `UNKNOWN_TYPE`), then for each object from the outside in: unknown keys (`UNKNOWN_FIELD`),
    /// missing keys (`MISSING_FIELD`), then each value in order (`INVALID_FIELD`).
    public static func decode(_ payload: [UInt8]) throws(WireError) -> Request {
        try decode(json: try JSONParser.parse(payload))
    }

    /// Decodes a parsed message (see `decode(_:)`).
    public static func decode(json: JSONValue) throws(WireError) -> Request {
        guard case .object = json else {
            throw WireError(.malformedJSON, "a frame holds one JSON object")
        }
        guard let typeValue = json["type"] else {
            throw WireError(.missingField, "type: required field is missing")
        }
        let type = try typeValue.string(at: FieldPath.root.appending("type"))
        switch type {
        case "propose":
            let o = try ObjectReader(json, at: .root, required: ["type", "proposal"])
            return .propose(try Proposal(json: o["proposal"].value, at: o["proposal"].path))
        case "status":
            _ = try ObjectReader(json, at: .root, required: ["type"])
            return .status
        case "engage_kill_switch":
            let o = try ObjectReader(json, at: .root, required: ["type", "reason"])
            let reason = try o["reason"].value.string(
                at: o["reason"].path, scalars: 0...WireLimits.maxKillSwitchReasonLength)
            return .engageKillSwitch(reason: reason)
        default:
            throw WireError(.unknownType, "type: unknown request type \"\(FieldPath.display(type))\"")
        }
    }

    /// The message in its wire shape.
    public var jsonValue: JSONValue {
        switch self {
        case .propose(let proposal): .object(["type": .string("propose"), "proposal": proposal.jsonValue])
        case .status: .object(["type": .string("status")])
        case .engageKillSwitch(let reason): .object(["type": .string("engage_kill_switch"), "reason": .string(reason)])
        }
    }

    /// The frame payload: compact, deterministic JSON.
    public func encoded() -> [UInt8] { jsonValue.serializedBytes() }
}
