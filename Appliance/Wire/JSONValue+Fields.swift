import BigInt
import Ethereum
import SigningPolicy

/// Typed readers used by the message decoders; each failure is `INVALID_FIELD` naming the path.
extension JSONValue {
    func string(at path: FieldPath) throws(WireError) -> String {
        guard case .string(let s) = self else { throw path.invalid("expected a string") }
        return s
    }

    /// A string of at most `maxScalars` Unicode scalars (and at least `minScalars`).
    func string(at path: FieldPath, scalars range: ClosedRange<Int>) throws(WireError) -> String {
        let s = try string(at: path)
        let count = s.unicodeScalars.count
        guard range.contains(count) else {
            throw path.invalid("expected a string of \(range.lowerBound)…\(range.upperBound) characters")
        }
        return s
    }

    func bool(at path: FieldPath) throws(WireError) -> Bool {
        guard case .bool(let b) = self else { throw path.invalid("expected true or false") }
        return b
    }

    /// A JSON integer (no fraction, no exponent, not a string) within `range`.
    func integer(at path: FieldPath, in range: ClosedRange<Int64>) throws(WireError) -> Int64 {
        guard case .number(let n) = self, n.isInteger else { throw path.invalid("expected an integer") }
        guard let v = n.int64Value, range.contains(v) else {
            throw path.invalid("expected an integer in \(range.lowerBound)…\(range.upperBound)")
        }
        return v
    }

    func int(at path: FieldPath, in range: ClosedRange<Int>) throws(WireError) -> Int {
        Int(try integer(at: path, in: Int64(range.lowerBound)...Int64(range.upperBound)))
    }

    func uint64(at path: FieldPath, in range: ClosedRange<UInt64>) throws(WireError) -> UInt64 {
        let upper = Int64(clamping: range.upperBound)
        return UInt64(try integer(at: path, in: Int64(range.lowerBound)...upper))
    }

    func array(at path: FieldPath, maxCount: Int) throws(WireError) -> [JSONValue] {
        guard case .array(let elements) = self else { throw path.invalid("expected an array") }
        guard elements.count <= maxCount else { throw path.invalid("expected at most \(maxCount) entries") }
        return elements
    }

    /// `0x` + 40 hex digits; mixed case must pass EIP-55.
    func address(at path: FieldPath) throws(WireError) -> Address {
        let s = try string(at: path)
        do { return try Address(hex: s) } catch { throw path.invalid("\(error)") }
    }

    /// Strict RFC 3339 UTC `YYYY-MM-DDTHH:MM:SSZ`.
    func timestamp(at path: FieldPath) throws(WireError) -> Timestamp {
        let s = try string(at: path)
        guard let t = Timestamp(rfc3339: s) else {
            throw path.invalid("expected an RFC 3339 UTC timestamp like 2026-11-27T09:00:00Z")
        }
        return t
    }

    /// A decimal string of wei: digits only, no leading zeros except `"0"`, at most 78 digits, below 2^256.
    func wei(at path: FieldPath) throws(WireError) -> BigUInt {
        let s = try string(at: path)
        let u = s.utf8
        guard !u.isEmpty, u.count <= 78, u.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              u.count == 1 || u.first != UInt8(ascii: "0"),
              let value = BigUInt(s, radix: 10), value < (BigUInt(1) << 256)
        else { throw path.invalid("expected a decimal string of wei (digits only, no leading zeros, < 2^256)") }
        return value
    }

    /// `0x` + an even number of hex digits.
    func hexBytes(at path: FieldPath, count: Int? = nil) throws(WireError) -> [UInt8] {
        let s = try string(at: path)
        guard let bytes = try? Hex.decode(s, requirePrefix: true), count.map({ $0 == bytes.count }) ?? true else {
            throw path.invalid(count.map { "expected 0x and \($0 * 2) hex digits" } ?? "expected 0x and hex digits")
        }
        return bytes
    }
}
