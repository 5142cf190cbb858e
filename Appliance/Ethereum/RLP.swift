/// Recursive Length Prefix encoding (Ethereum Yellow Paper, appendix B).
///
/// The decoder is strict: it accepts only the one canonical encoding of an item, consumes the whole input,
/// and reports truncation, non-minimal lengths and overflowing lengths as errors rather than trapping.
public enum RLP {
    /// Lists nested deeper than this are refused, so hostile input cannot exhaust the stack.
    public static let maxDepth = 64

    /// The canonical encoding of `item`.
    public static func encode(_ item: RLPItem) -> [UInt8] {
        var out = [UInt8]()
        append(item, to: &out)
        return out
    }

    /// Decodes exactly one item that spans all of `bytes`.
    public static func decode(_ bytes: [UInt8]) throws -> RLPItem {
        let (item, next) = try decodeItem(bytes, at: 0, end: bytes.count, depth: 0)
        guard next == bytes.count else {
            throw RLPError(.trailingBytes, "\(bytes.count - next) bytes follow the item")
        }
        return item
    }

    // MARK: Encoding

    private static func append(_ item: RLPItem, to out: inout [UInt8]) {
        switch item {
        case .bytes(let bytes):
            if bytes.count == 1 && bytes[0] < 0x80 {
                out.append(bytes[0])
            } else {
                appendHeader(length: bytes.count, shortBase: 0x80, to: &out)
                out.append(contentsOf: bytes)
            }
        case .list(let items):
            var payload = [UInt8]()
            for element in items { append(element, to: &payload) }
            appendHeader(length: payload.count, shortBase: 0xc0, to: &out)
            out.append(contentsOf: payload)
        }
    }

    private static func appendHeader(length: Int, shortBase: UInt8, to out: inout [UInt8]) {
        if length < 56 {
            out.append(shortBase + UInt8(length))
        } else {
            var lengthBytes = [UInt8]()
            var rest = UInt64(length)
            while rest > 0 {
                lengthBytes.insert(UInt8(truncatingIfNeeded: rest), at: 0)
                rest >>= 8
            }
            out.append(shortBase + 55 + UInt8(lengthBytes.count))
            out.append(contentsOf: lengthBytes)
        }
    }

    // MARK: Decoding

    private static func decodeItem(
        _ b: [UInt8], at start: Int, end: Int, depth: Int
    ) throws -> (RLPItem, Int) {
        guard start < end else { throw RLPError(.truncated, "input ends where an item should start") }
        let prefix = b[start]
        switch prefix {
        case 0x00...0x7f:
            return (.bytes([prefix]), start + 1)
        case 0x80...0xb7:
            let length = Int(prefix - 0x80)
            let payloadStart = start + 1
            try requireAvailable(length, from: payloadStart, end: end)
            if length == 1 && b[payloadStart] < 0x80 {
                throw RLPError(.nonCanonicalSingleByte, "a single byte below 0x80 must encode as itself")
            }
            return (.bytes(Array(b[payloadStart..<payloadStart + length])), payloadStart + length)
        case 0xb8...0xbf:
            let (length, payloadStart) = try readLongLength(b, at: start, lengthOfLength: Int(prefix - 0xb7), end: end)
            return (.bytes(Array(b[payloadStart..<payloadStart + length])), payloadStart + length)
        case 0xc0...0xf7:
            let length = Int(prefix - 0xc0)
            let payloadStart = start + 1
            try requireAvailable(length, from: payloadStart, end: end)
            return try decodeList(b, from: payloadStart, to: payloadStart + length, depth: depth)
        default:
            let (length, payloadStart) = try readLongLength(b, at: start, lengthOfLength: Int(prefix - 0xf7), end: end)
            return try decodeList(b, from: payloadStart, to: payloadStart + length, depth: depth)
        }
    }

    private static func decodeList(
        _ b: [UInt8], from payloadStart: Int, to payloadEnd: Int, depth: Int
    ) throws -> (RLPItem, Int) {
        guard depth < maxDepth else { throw RLPError(.tooDeep, "lists nest deeper than \(maxDepth)") }
        var items = [RLPItem]()
        var position = payloadStart
        while position < payloadEnd {
            let (item, next) = try decodeItem(b, at: position, end: payloadEnd, depth: depth + 1)
            items.append(item)
            position = next
        }
        return (.list(items), payloadEnd)
    }

    /// Reads the big-endian length after a long-form prefix at `start`; returns it and where the payload begins.
    private static func readLongLength(
        _ b: [UInt8], at start: Int, lengthOfLength: Int, end: Int
    ) throws -> (Int, Int) {
        let lengthStart = start + 1
        try requireAvailable(lengthOfLength, from: lengthStart, end: end)
        guard b[lengthStart] != 0 else {
            throw RLPError(.nonCanonicalLength, "a long-form length must not start with a zero byte")
        }
        var length = 0
        for b in b[lengthStart..<lengthStart + lengthOfLength] {
            let (shifted, overflow1) = length.multipliedReportingOverflow(by: 256)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(b))
            guard !overflow1 && !overflow2 else { throw RLPError(.lengthOverflow, "length does not fit in an Int") }
            length = sum
        }
        guard length >= 56 else {
            throw RLPError(.nonCanonicalLength, "long form used for a length of \(length) (< 56)")
        }
        let payloadStart = lengthStart + lengthOfLength
        try requireAvailable(length, from: payloadStart, end: end)
        return (length, payloadStart)
    }

    private static func requireAvailable(_ count: Int, from position: Int, end: Int) throws {
        guard position <= end, count <= end - position else {
            throw RLPError(.truncated, "item needs \(count) bytes, \(max(0, end - position)) remain")
        }
    }
}
