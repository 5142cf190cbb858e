/// A 20-byte Ethereum account address. Compared as bytes, never as text.
public struct Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// An address that could not be read.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The 20 bytes.
    public let bytes: [UInt8]

    /// The zero address.
    public static let zero = Address(uncheckedBytes: [UInt8](repeating: 0, count: 20))

    /// An address from exactly 20 bytes.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == 20 else {
            throw ParseError(description: "an address is 20 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    init(uncheckedBytes: [UInt8]) { self.bytes = uncheckedBytes }

    /// Parses `0x` + 40 hex digits. All-lower or all-upper case is accepted as is; mixed case must carry a
    /// valid EIP-55 checksum.
    public init(hex text: some StringProtocol) throws {
        let s = String(text)
        guard s.utf8.count == 42, s.hasPrefix("0x") else {
            throw ParseError(description: "an address is 0x followed by 40 hex digits")
        }
        let digits = s.dropFirst(2)
        let bytes: [UInt8]
        do { bytes = try Hex.decode(digits) } catch {
            throw ParseError(description: "an address is 0x followed by 40 hex digits")
        }
        let hasLower = digits.utf8.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f") }
        let hasUpper = digits.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }
        self.bytes = bytes
        if hasLower && hasUpper && checksummed != s {
            throw ParseError(description: "mixed-case address fails its EIP-55 checksum (expected \(checksummed))")
        }
    }

    /// The address of an uncompressed secp256k1 public key: 64 bytes X‖Y, or 65 bytes 0x04‖X‖Y.
    public init(publicKey: [UInt8]) throws {
        let xy: ArraySlice<UInt8>
        switch publicKey.count {
        case 64: xy = publicKey[...]
        case 65 where publicKey[0] == 0x04: xy = publicKey[1...]
        default: throw ParseError(description: "an uncompressed public key is 64 or 65 (0x04…) bytes")
        }
        self.bytes = Array(Keccak256.hash(xy).suffix(20))
    }

    /// EIP-55 mixed-case checksum form.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes, prefix: false).utf8)
        let hash = Keccak256.hash(lower)
        var out: [UInt8] = [UInt8(ascii: "0"), UInt8(ascii: "x")]
        out.reserveCapacity(42)
        for (i, c) in lower.enumerated() {
            let nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0x0f
            // ASCII 'a'…'f' to 'A'…'F' when the hash nibble is 8 or more; digits stay as they are.
            out.append(c >= UInt8(ascii: "a") && nibble >= 8 ? c - 32 : c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { checksummed }

    public static func < (lhs: Address, rhs: Address) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}
