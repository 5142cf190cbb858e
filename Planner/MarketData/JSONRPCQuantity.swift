import BigInt
import Ethereum

/// Strict parsers for the hex encodings of Ethereum JSON-RPC: quantities (`0x1a`, at most 256 bits) and data
/// (`0x` and an even number of hex digits).
enum JSONRPCQuantity {
    static func bigUInt(_ text: String, _ what: String) throws -> BigUInt {
        let digits = text.utf8.dropFirst(2)
        guard text.hasPrefix("0x"), !digits.isEmpty, digits.count <= 64,
            digits.allSatisfy({ isHexDigit($0) }), let value = BigUInt(String(text.dropFirst(2)), radix: 16)
        else { throw JSONRPCError(.invalidResult, "\(what): \"\(text.prefix(80))\" is not a hex quantity") }
        return value
    }

    static func uint64(_ text: String, _ what: String) throws -> UInt64 {
        let value = try bigUInt(text, what)
        guard value <= BigUInt(UInt64.max) else { throw JSONRPCError(.invalidResult, "\(what): \(value) is too large") }
        return UInt64(value)
    }

    static func data(_ text: String, _ what: String) throws -> [UInt8] {
        do {
            return try Hex.decode(text, requirePrefix: true)
        } catch {
            throw JSONRPCError(.invalidResult, "\(what): not hex data (\(error))")
        }
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
    }
}
