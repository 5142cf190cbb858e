import Wire

/// A response as the server puts it on the wire: one frame, always within the 65536-byte limit.
///
/// A response whose JSON would not fit in a frame is replaced by an `INTERNAL` error (and the server audits it),
/// so no response can reach `Frame.encode`'s precondition and stop the appliance.
public struct ServerResponseFrame: Sendable {
    /// The frame to write: length prefix and payload.
    public let bytes: [UInt8]
    /// Whether the response was too large and `bytes` carries `INTERNAL` instead.
    public let wasOversized: Bool
    /// The size of the response's own payload, whether or not it was sent.
    public let originalPayloadLength: Int

    public init(_ response: Response) {
        let payload = response.encoded()
        originalPayloadLength = payload.count
        if Frame.isValidPayloadLength(payload.count) {
            bytes = Frame.encode(payload)
            wasOversized = false
        } else {
            let message = "the response (\(payload.count) bytes) does not fit in a \(Frame.maxPayloadLength)-byte "
                + "frame; nothing was released"
            bytes = Frame.encode(Response.error(ErrorResponse(code: .internal, message: message)).encoded())
            wasOversized = true
        }
    }
}
