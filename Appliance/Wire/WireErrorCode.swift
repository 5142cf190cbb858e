/// The pinned protocol error codes of DESIGN.md ("Wire protocol"). Outside tests match on these strings.
public enum WireErrorCode: String, Hashable, Sendable, CaseIterable {
    /// A frame length of 0 or above 65536. The connection is closed after the error frame.
    case frameSize = "FRAME_SIZE"
    /// Not UTF-8, not RFC 8259 JSON, nested deeper than 8, or not one JSON object.
    case malformedJSON = "MALFORMED_JSON"
    /// The same key twice in one object (compared byte for byte after unescaping).
    case duplicateKey = "DUPLICATE_KEY"
    /// A key the message shape does not define.
    case unknownField = "UNKNOWN_FIELD"
    /// A required key is absent.
    case missingField = "MISSING_FIELD"
    /// A value of the wrong JSON type, out of range, or not in the required format.
    case invalidField = "INVALID_FIELD"
    /// A `type` the protocol does not define.
    case unknownType = "UNKNOWN_TYPE"
    /// The peer's uid is not allowed to talk to the appliance (produced by the server, not the decoder).
    case peerNotAllowed = "PEER_NOT_ALLOWED"
    /// The appliance cannot take the request now (produced by the server).
    case busy = "BUSY"
    /// Something failed inside the appliance (produced by the server).
    case `internal` = "INTERNAL"

    /// Whether the server closes the connection after sending this error.
    public var closesConnection: Bool {
        switch self {
        case .frameSize, .peerNotAllowed: return true
        default: return false
        }
    }
}
