/// Reassembles frames from bytes as they arrive on a stream, in order.
///
/// Feed it whatever the socket returned; it hands back every frame completed by those bytes. A length of 0 or
/// above 65536 yields a `FRAME_SIZE` error, after which the decoder is failed and ignores further input (the
/// caller sends the error frame and closes the connection).
///
/// Memory is bounded whatever the peer sends: the decoder holds at most the 4 header bytes and the payload of
/// the one frame in progress (≤ 65536 bytes); completed frames are returned, not kept.
public struct FrameDecoder: Sendable {
    /// What a chunk of input produced, in stream order.
    public enum Output: Hashable, Sendable {
        /// A complete frame's payload (1…65536 bytes).
        case frame([UInt8])
        /// A bad length prefix (`FRAME_SIZE`); always the last output of a decoder.
        case error(WireError)
    }

    private var header: [UInt8] = []
    private var payload: [UInt8] = []
    private var expected = 0
    /// True once a bad length has been seen; all later input is ignored.
    public private(set) var isFailed = false

    public init() {}

    /// Bytes held for the frame in progress (header and payload). Never above 4 + 65536.
    public var bufferedByteCount: Int { header.count + payload.count }

    /// Whether the decoder sits exactly between frames (a clean place for the peer to close).
    public var isAtFrameBoundary: Bool { header.isEmpty && payload.isEmpty && !isFailed }

    /// Consumes `bytes` and returns every frame they complete, then possibly a `FRAME_SIZE` error.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [Output] {
        var outputs: [Output] = []
        guard !isFailed else { return outputs }
        var rest = bytes[...]
        while !rest.isEmpty {
            if header.count < Frame.headerLength {
                let take = min(Frame.headerLength - header.count, rest.count)
                header.append(contentsOf: rest.prefix(take))
                rest = rest.dropFirst(take)
                guard header.count == Frame.headerLength else { continue }
                let n = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
                guard Frame.isValidPayloadLength(n) else {
                    isFailed = true
                    header = []
                    outputs.append(.error(WireError(
                        .frameSize, "frame length \(n) is outside 1…\(Frame.maxPayloadLength)")))
                    return outputs
                }
                expected = n
                payload.reserveCapacity(n)
            } else {
                let take = min(expected - payload.count, rest.count)
                payload.append(contentsOf: rest.prefix(take))
                rest = rest.dropFirst(take)
                if payload.count == expected {
                    outputs.append(.frame(payload))
                    payload = []
                    header.removeAll(keepingCapacity: true)
                    expected = 0
                }
            }
        }
        return outputs
    }
}
