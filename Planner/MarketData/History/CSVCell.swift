/// Strict conversions of CSV cells: plain decimal numbers only (no `nan`, `inf`, hex or padding), finite values.
public enum CSVCell {
    /// A finite decimal number such as `12`, `-0.5`, `1.5e+25`.
    public static func double(_ text: String, _ column: String) throws(RowError) -> Double {
        guard isDecimal(text), let value = Double(text), value.isFinite else {
            throw RowError("\(column): not a number: \(quoted(text))")
        }
        return value
    }

    /// Like `double`, but an empty cell is nil.
    public static func optionalDouble(_ text: String, _ column: String) throws(RowError) -> Double? {
        text.isEmpty ? nil : try double(text, column)
    }

    /// A non-negative finite decimal number.
    public static func nonNegative(_ text: String, _ column: String) throws(RowError) -> Double {
        let value = try double(text, column)
        guard value >= 0 else { throw RowError("\(column): negative: \(quoted(text))") }
        return value
    }

    /// An integer written as digits with an optional sign.
    public static func integer(_ text: String, _ column: String) throws(RowError) -> Int64 {
        guard isInteger(text), let value = Int64(text) else {
            throw RowError("\(column): not an integer: \(quoted(text))")
        }
        return value
    }

    /// An integer that may be written with a zero fraction, as pandas exports do (`1606832522.0`).
    public static func wholeNumber(_ text: String, _ column: String) throws(RowError) -> Int64 {
        var digits = Substring(text)
        if let dot = digits.firstIndex(of: ".") {
            let fraction = digits[digits.index(after: dot)...]
            guard fraction.allSatisfy({ $0 == "0" }) else {
                throw RowError("\(column): not a whole number: \(quoted(text))")
            }
            digits = digits[..<dot]
        }
        guard isInteger(digits), let value = Int64(digits) else {
            throw RowError("\(column): not a whole number: \(quoted(text))")
        }
        return value
    }

    /// An unsigned integer of any size, kept as its decimal digits (Chainlink round ids, Uniswap liquidity).
    public static func unsignedDigits(_ text: String, _ column: String) throws(RowError) -> String {
        guard !text.isEmpty, text.utf8.count <= 78, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              text == "0" || text.first != "0"
        else { throw RowError("\(column): not an unsigned integer: \(quoted(text))") }
        return text
    }

    /// A non-empty cell.
    public static func text(_ text: String, _ column: String) throws(RowError) -> String {
        guard !text.isEmpty else { throw RowError("\(column): empty") }
        return text
    }

    /// The cell shortened for a message, so a hostile row cannot flood a report.
    static func quoted(_ text: String) -> String {
        text.count > 40 ? "\"\(text.prefix(40))…\"" : "\"\(text)\""
    }

    private static func isInteger(_ text: some StringProtocol) -> Bool {
        var u = Substring(text).utf8[...]
        if u.first == UInt8(ascii: "-") || u.first == UInt8(ascii: "+") { u = u.dropFirst() }
        return !u.isEmpty && u.count <= 19 && u.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// `[+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?`, at most 64 characters.
    private static func isDecimal(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard !u.isEmpty, u.count <= 64 else { return false }
        var i = 0
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        if u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i += 1 }
        var mantissaDigits = 0
        while i < u.count, isDigit(u[i]) { i += 1; mantissaDigits += 1 }
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            while i < u.count, isDigit(u[i]) { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return false }
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i += 1 }
            var exponentDigits = 0
            while i < u.count, isDigit(u[i]) { i += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return false }
        }
        return i == u.count
    }
}
