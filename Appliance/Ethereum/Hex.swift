/// Hexadecimal text for byte strings, the way Ethereum tools write it.
public enum Hex {
    /// An error reading hexadecimal text.
    public struct DecodingError: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Decodes `0x`-prefixed (or bare) hexadecimal text of even length.
    public static func decode(_ text: some StringProtocol, requirePrefix: Bool = false) throws -> [UInt8] {
        var utf8 = Substring(text).utf8[...]
        if utf8.starts(with: "0x".utf8) || utf8.starts(with: "0X".utf8) {
            utf8 = utf8.dropFirst(2)
        } else if requirePrefix {
            throw DecodingError(description: "hex text must start with 0x")
        }
        guard utf8.count % 2 == 0 else {
            throw DecodingError(description: "hex text has an odd number of digits")
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var high: UInt8 = 0
        var isHigh = true
        for c in utf8 {
            guard let nibble = nibbleValue(c) else {
                throw DecodingError(description: "hex text contains a non-hex character")
            }
            if isHigh { high = nibble } else { out.append(high << 4 | nibble) }
            isHigh.toggle()
        }
        return out
    }

    /// Lower-case hexadecimal text, `0x`-prefixed unless `prefix` is false.
    public static func encode(_ bytes: some Sequence<UInt8>, prefix: Bool = true) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        if prefix { out.append(contentsOf: "0x".utf8) }
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func nibbleValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension Array where Element == UInt8 {
    /// `0x`-prefixed lower-case hex.
    public var hexString: String { Hex.encode(self) }
}
