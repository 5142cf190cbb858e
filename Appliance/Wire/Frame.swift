/// The framing of DESIGN.md: a 4-byte big-endian length `N` with 1 ≤ N ≤ 65536, then `N` bytes of payload.
public enum Frame {
    /// The largest payload a frame may carry.
    public static let maxPayloadLength = 65_536

    /// The length prefix size in bytes.
    public static let headerLength = 4

    /// Whether `count` is a payload length the protocol allows.
    public static func isValidPayloadLength(_ count: Int) -> Bool { count >= 1 && count <= maxPayloadLength }

    /// The frame carrying `payload`: its length, big-endian, then the bytes.
    ///
    /// - Precondition: `1 ≤ payload.count ≤ 65536` (check with `isValidPayloadLength` when the size is not
    ///   bounded by construction).
    public static func encode(_ payload: [UInt8]) -> [UInt8] {
        precondition(isValidPayloadLength(payload.count), "frame payload must be 1…65536 bytes")
        let n = UInt32(payload.count)
        var out = [UInt8]()
        out.reserveCapacity(headerLength + payload.count)
        out.append(UInt8(truncatingIfNeeded: n >> 24))
        out.append(UInt8(truncatingIfNeeded: n >> 16))
        out.append(UInt8(truncatingIfNeeded: n >> 8))
        out.append(UInt8(truncatingIfNeeded: n))
        out.append(contentsOf: payload)
        return out
    }
}
