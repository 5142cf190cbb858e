/// A response from the appliance, as the server writes it and the planner client reads it.
///
/// Decoding is strict about the known shape (types, ranges, required keys, no duplicate keys, depth ≤ 8) but
/// ignores keys it does not know, so the server can add fields without breaking older clients. Requests, which
/// come from the untrusted side, get no such tolerance.
public enum Response: Hashable, Sendable {
    case decision(DecisionResponse)
    case status(StatusResponse)
    case error(ErrorResponse)

    public var jsonValue: JSONValue {
        switch self {
        case .decision(let d): d.jsonValue
        case .status(let s): s.jsonValue
        case .error(let e): e.jsonValue
        }
    }

    /// The frame payload: compact, deterministic JSON.
    public func encoded() -> [UInt8] { jsonValue.serializedBytes() }

    /// Decodes one frame's payload (see the type's note on unknown keys).
    public static func decode(_ payload: [UInt8]) throws(WireError) -> Response {
        try decode(json: try JSONParser.parse(payload))
    }

    /// Decodes a parsed response.
    public static func decode(json: JSONValue) throws(WireError) -> Response {
        guard case .object = json else { throw WireError(.malformedJSON, "a frame holds one JSON object") }
        guard let typeValue = json["type"] else { throw WireError(.missingField, "type: required field is missing") }
        let type = try typeValue.string(at: FieldPath.root.appending("type"))
        switch type {
        case "decision": return .decision(try DecisionResponse(json: json, at: .root))
        case "status": return .status(try StatusResponse(json: json, at: .root))
        case "error": return .error(try ErrorResponse(json: json, at: .root))
        default: throw WireError(.unknownType, "type: unknown response type \"\(FieldPath.display(type))\"")
        }
    }
}
