import BigInt

/// A value in Ethereum's Recursive Length Prefix encoding: a byte string or a list of items.
///
/// RLP knows nothing of integers; they are byte strings holding the big-endian value without leading zeros.
/// The integer helpers here write and read that form strictly, so a value has exactly one encoding.
public indirect enum RLPItem: Hashable, Sendable {
    case bytes([UInt8])
    case list([RLPItem])

    /// The canonical encoding of an unsigned integer: big-endian, no leading zeros, zero as the empty string.
    public static func uint(_ value: BigUInt) -> RLPItem {
        .bytes(value.minimalBigEndianBytes)
    }

    /// The canonical encoding of an unsigned integer: big-endian, no leading zeros, zero as the empty string.
    public static func uint(_ value: UInt64) -> RLPItem {
        uint(BigUInt(value))
    }

    /// The byte string; throws if this item is a list.
    public func bytesValue() throws -> [UInt8] {
        guard case .bytes(let bytes) = self else {
            throw RLPError(.expectedBytes, "expected a byte string, got a list")
        }
        return bytes
    }

    /// The list items; throws if this item is a byte string.
    public func listValue() throws -> [RLPItem] {
        guard case .list(let items) = self else { throw RLPError(.expectedList, "expected a list, got a byte string") }
        return items
    }

    /// Reads a canonical unsigned integer of at most `maxBytes` bytes (32 for a uint256).
    /// Leading zero bytes are rejected, so every number has one encoding.
    public func bigUIntValue(maxBytes: Int = 32) throws -> BigUInt {
        let bytes = try bytesValue()
        if bytes.first == 0 {
            throw RLPError(.leadingZeroInInteger, "an integer must not start with a zero byte")
        }
        guard bytes.count <= maxBytes else {
            throw RLPError(.integerTooLarge, "an integer is at most \(maxBytes) bytes, got \(bytes.count)")
        }
        return BigUInt(bytesBigEndian: bytes)
    }

    /// Reads a canonical unsigned integer that fits in 64 bits.
    public func uint64Value() throws -> UInt64 {
        let value = try bigUIntValue(maxBytes: 8)
        return UInt64(value)
    }
}

extension BigUInt {
    /// Big-endian bytes without leading zeros; zero is the empty array.
    var minimalBigEndianBytes: [UInt8] {
        var out = [UInt8]()
        let words = self.words
        for word in words.reversed() {
            for shift in stride(from: UInt.bitWidth - 8, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: word >> UInt(shift)))
            }
        }
        if let first = out.firstIndex(where: { $0 != 0 }) { return Array(out[first...]) }
        return []
    }

    /// Exactly `width` big-endian bytes; the caller guarantees the value fits.
    func bigEndianBytes(width: Int) -> [UInt8] {
        let minimal = minimalBigEndianBytes
        precondition(minimal.count <= width, "value does not fit in \(width) bytes")
        return [UInt8](repeating: 0, count: width - minimal.count) + minimal
    }

    /// The value of big-endian bytes (any length, leading zeros allowed).
    init(bytesBigEndian bytes: some Collection<UInt8>) {
        var value = BigUInt(0)
        for b in bytes { value = (value << 8) | BigUInt(b) }
        self = value
    }
}
