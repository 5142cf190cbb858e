/// A JSON number kept as its exact text, so integers can be checked exactly and nothing is rounded through a
/// floating-point value.
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number as written, RFC 8259 grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    public let text: String

    /// Whether the text is a JSON integer (no fraction, no exponent). `1.0` and `1e2` are not integers.
    public var isInteger: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    init(uncheckedText: String) { self.text = uncheckedText }

    /// A number from text in RFC 8259 grammar; nil for anything else.
    public init?(text: String) {
        guard JSONNumber.isValid(Array(text.utf8)) else { return nil }
        self.text = text
    }

    public init(_ value: Int64) { self.text = String(value) }
    public init(_ value: Int) { self.text = String(value) }
    public init(_ value: UInt64) { self.text = String(value) }

    /// The value when the text is a JSON integer that fits in `Int64`; nil otherwise.
    public var int64Value: Int64? {
        guard isInteger else { return nil }
        var utf8 = text.utf8[...]
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        var value: Int64 = 0
        for c in utf8 {
            let digit = Int64(c &- UInt8(ascii: "0"))
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = s
        }
        return value
    }

    public var description: String { text }

    static func isValid(_ u: [UInt8]) -> Bool {
        var i = 0
        func digit(_ i: Int) -> Bool { i < u.count && u[i] >= UInt8(ascii: "0") && u[i] <= UInt8(ascii: "9") }
        if i < u.count, u[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { return false }
        if u[i] == UInt8(ascii: "0") { i += 1 } else { while digit(i) { i += 1 } }
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        return i == u.count
    }
}
