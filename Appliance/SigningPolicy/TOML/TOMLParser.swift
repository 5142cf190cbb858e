/// A strict parser for the TOML subset that signing policies and policy test cases use.
///
/// Why not TOMLKit: its C++ dependency (toml++) is not in the local package mirror, and a trusted appliance is
/// better served by a few hundred lines it can audit than by a general TOML library.
///
/// Supported: `#` comments; `[table]` headers with a bare or quoted key; `key = value` with a bare or quoted key;
/// basic strings with escapes, literal strings; decimal integers (optional `_` between digits, 64-bit, overflow
/// rejected); booleans; arrays (multi-line, trailing comma allowed); inline tables.
///
/// Rejected, each with the line and column: duplicate keys, duplicate tables, dotted keys, arrays of tables,
/// multi-line strings, floats, dates and times, hexadecimal/octal/binary integers, `inf`/`nan`, control
/// characters, documents over `maxBytes`, nesting deeper than `maxDepth`. The parser never traps: every read is
/// bounds-checked and recursion is bounded by `maxDepth` before it happens.
public struct TOMLParser: Sendable {
    /// Largest accepted document, in UTF-8 bytes.
    public static let maxBytes = 1 << 20
    /// Deepest accepted nesting of arrays and inline tables.
    public static let maxDepth = 16

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1

    private init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    /// Parses a whole document into its root table.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        guard text.utf8.count <= maxBytes else {
            throw TOMLError("document is larger than \(maxBytes) bytes", at: TOMLPosition(line: 1, column: 1))
        }
        var parser = TOMLParser(text)
        return try parser.document()
    }

    // MARK: - Document structure

    private mutating func document() throws(TOMLError) -> TOMLTable {
        var root = TOMLTable()
        var currentName: String? = nil
        var currentPosition = TOMLPosition(line: 1, column: 1)
        var current = TOMLTable()
        var definedTables: Set<String> = []

        func flush(into root: inout TOMLTable) {
            if let name = currentName { root.insert(name, .table(current), at: currentPosition) }
        }

        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
                try endOfLine()
            case UInt8(ascii: "["):
                let headerPosition = position
                advance()
                if peek() == UInt8(ascii: "[") {
                    throw TOMLError("arrays of tables ([[…]]) are not supported", at: headerPosition)
                }
                skipWhitespace()
                let name = try key()
                skipWhitespace()
                if peek() == UInt8(ascii: ".") {
                    throw TOMLError("dotted table names are not supported", at: position)
                }
                guard peek() == UInt8(ascii: "]") else { throw unexpected("']' to close the table header") }
                advance()
                try endOfLine()
                if definedTables.contains(name) || root.contains(name) {
                    throw TOMLError("table [\(name)] is defined twice", at: headerPosition)
                }
                flush(into: &root)
                definedTables.insert(name)
                currentName = name
                currentPosition = headerPosition
                current = TOMLTable()
            default:
                let keyPosition = position
                let name = try key()
                skipWhitespace()
                if peek() == UInt8(ascii: ".") {
                    throw TOMLError("dotted keys are not supported", at: position)
                }
                guard peek() == UInt8(ascii: "=") else { throw unexpected("'=' after the key") }
                advance()
                skipWhitespace()
                let value = try value(depth: 0)
                try endOfLine()
                if currentName == nil {
                    guard root.insert(name, value, at: keyPosition) else {
                        throw TOMLError("key \"\(name)\" is defined twice", at: keyPosition)
                    }
                } else {
                    guard current.insert(name, value, at: keyPosition) else {
                        throw TOMLError("key \"\(name)\" is defined twice", at: keyPosition)
                    }
                }
            }
        }
        flush(into: &root)
        return root
    }

    /// After a header or a key/value pair: optional whitespace, an optional comment, then a newline or the end.
    private mutating func endOfLine() throws(TOMLError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") { try comment() }
        guard let byte = peek() else { return }
        if byte == UInt8(ascii: "\n") {
            newline()
        } else if byte == UInt8(ascii: "\r") {
            guard peek(offset: 1) == UInt8(ascii: "\n") else { throw TOMLError("a bare carriage return", at: position) }
            advance()
            newline()
        } else {
            throw unexpected("the end of the line")
        }
    }

    private mutating func comment() throws(TOMLError) {
        while let byte = peek(), byte != UInt8(ascii: "\n") {
            if byte == UInt8(ascii: "\r") && peek(offset: 1) == UInt8(ascii: "\n") { return }
            if isControl(byte) { throw TOMLError("a control character in a comment", at: position) }
            advance()
        }
    }

    // MARK: - Keys

    private mutating func key() throws(TOMLError) -> String {
        guard let byte = peek() else { throw unexpected("a key") }
        switch byte {
        case UInt8(ascii: "\""):
            if peek(offset: 1) == UInt8(ascii: "\"") && peek(offset: 2) == UInt8(ascii: "\"") {
                throw TOMLError("multi-line strings are not supported as keys", at: position)
            }
            return try basicString()
        case UInt8(ascii: "'"):
            if peek(offset: 1) == UInt8(ascii: "'") && peek(offset: 2) == UInt8(ascii: "'") {
                throw TOMLError("multi-line strings are not supported as keys", at: position)
            }
            return try literalString()
        default:
            let start = index
            while let b = peek(), isBareKeyByte(b) { advance() }
            guard index > start else { throw unexpected("a key") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    // MARK: - Values

    private mutating func value(depth: Int) throws(TOMLError) -> TOMLValue {
        guard depth < TOMLParser.maxDepth else {
            throw TOMLError("nesting is deeper than \(TOMLParser.maxDepth)", at: position)
        }
        guard let byte = peek() else { throw unexpected("a value") }
        switch byte {
        case UInt8(ascii: "\""):
            if peek(offset: 1) == UInt8(ascii: "\"") && peek(offset: 2) == UInt8(ascii: "\"") {
                throw TOMLError("multi-line strings are not supported", at: position)
            }
            return .string(try basicString())
        case UInt8(ascii: "'"):
            if peek(offset: 1) == UInt8(ascii: "'") && peek(offset: 2) == UInt8(ascii: "'") {
                throw TOMLError("multi-line strings are not supported", at: position)
            }
            return .string(try literalString())
        case UInt8(ascii: "["):
            return .array(try array(depth: depth))
        case UInt8(ascii: "{"):
            return .table(try inlineTable(depth: depth))
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return .boolean(try boolean())
        case UInt8(ascii: "i"), UInt8(ascii: "n"):
            throw TOMLError("floats (inf, nan) are not supported", at: position)
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .integer(try integer())
        default:
            throw unexpected("a value")
        }
    }

    private mutating func boolean() throws(TOMLError) -> Bool {
        let start = position
        if matches("true") {
            for _ in 0..<4 { advance() }
            return true
        }
        if matches("false") {
            for _ in 0..<5 { advance() }
            return false
        }
        throw TOMLError("expected true or false", at: start)
    }

    private mutating func integer() throws(TOMLError) -> Int64 {
        let start = position
        var negative = false
        if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            advance()
        }
        if peek() == UInt8(ascii: "i") || peek() == UInt8(ascii: "n") {
            throw TOMLError("floats (inf, nan) are not supported", at: start)
        }
        guard let first = peek(), isDigit(first) else { throw TOMLError("expected digits", at: position) }
        if first == UInt8(ascii: "0"), let next = peek(offset: 1) {
            if next == UInt8(ascii: "x") || next == UInt8(ascii: "o") || next == UInt8(ascii: "b") {
                throw TOMLError("hexadecimal, octal and binary integers are not supported", at: start)
            }
            if isDigit(next) || next == UInt8(ascii: "_") {
                throw TOMLError("leading zeros are not allowed", at: start)
            }
        }
        // Accumulate as a negative number so that Int64.min is representable.
        var value: Int64 = 0
        var previousWasDigit = false
        while let byte = peek() {
            if isDigit(byte) {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (next, overflow2) = times.subtractingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                if overflow1 || overflow2 { throw TOMLError("integer does not fit in 64 bits", at: start) }
                value = next
                previousWasDigit = true
            } else if byte == UInt8(ascii: "_") {
                guard previousWasDigit, let after = peek(offset: 1), isDigit(after) else {
                    throw TOMLError("an underscore must sit between two digits", at: position)
                }
                previousWasDigit = false
            } else {
                break
            }
            advance()
        }
        if let byte = peek() {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                throw TOMLError("floats are not supported", at: start)
            case UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "T"), UInt8(ascii: "Z"):
                throw TOMLError("dates and times are not supported", at: start)
            default:
                break
            }
        }
        if negative { return value }
        guard value != Int64.min else { throw TOMLError("integer does not fit in 64 bits", at: start) }
        return -value
    }

    private mutating func array(depth: Int) throws(TOMLError) -> [TOMLValue] {
        advance()  // [
        var items: [TOMLValue] = []
        while true {
            try skipBlankLinesAndComments()
            guard let byte = peek() else { throw unexpected("']' to close the array") }
            if byte == UInt8(ascii: "]") {
                advance()
                return items
            }
            items.append(try value(depth: depth + 1))
            try skipBlankLinesAndComments()
            guard let after = peek() else { throw unexpected("',' or ']' in the array") }
            if after == UInt8(ascii: ",") {
                advance()
            } else if after == UInt8(ascii: "]") {
                advance()
                return items
            } else {
                throw unexpected("',' or ']' in the array")
            }
        }
    }

    private mutating func inlineTable(depth: Int) throws(TOMLError) -> TOMLTable {
        advance()  // {
        var table = TOMLTable()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            advance()
            return table
        }
        while true {
            skipWhitespace()
            let keyPosition = position
            let name = try key()
            skipWhitespace()
            if peek() == UInt8(ascii: ".") { throw TOMLError("dotted keys are not supported", at: position) }
            guard peek() == UInt8(ascii: "=") else { throw unexpected("'=' after the key") }
            advance()
            skipWhitespace()
            let item = try value(depth: depth + 1)
            guard table.insert(name, item, at: keyPosition) else {
                throw TOMLError("key \"\(name)\" is defined twice", at: keyPosition)
            }
            skipWhitespace()
            guard let byte = peek() else { throw unexpected("'}' to close the inline table") }
            if byte == UInt8(ascii: "}") {
                advance()
                return table
            }
            guard byte == UInt8(ascii: ",") else { throw unexpected("',' or '}' in the inline table") }
            advance()
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                throw TOMLError("a trailing comma is not allowed in an inline table", at: position)
            }
        }
    }

    // MARK: - Strings

    private mutating func basicString() throws(TOMLError) -> String {
        advance()  // "
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw unexpected("'\"' to close the string") }
            switch byte {
            case UInt8(ascii: "\""):
                advance()
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                let escapePosition = position
                advance()
                guard let code = peek() else { throw unexpected("an escape") }
                advance()
                switch code {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let count = code == UInt8(ascii: "u") ? 4 : 8
                    var scalarValue: UInt32 = 0
                    for _ in 0..<count {
                        guard let digit = peek(), let nibble = hexValue(digit) else {
                            throw TOMLError("\\u needs \(count) hex digits", at: escapePosition)
                        }
                        scalarValue = scalarValue << 4 | UInt32(nibble)
                        advance()
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else {
                        throw TOMLError("escape is not a Unicode scalar value", at: escapePosition)
                    }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw TOMLError("unknown escape sequence", at: escapePosition)
                }
            default:
                if isControl(byte) && byte != 0x09 {
                    throw TOMLError("a control character in a string (use an escape)", at: position)
                }
                out.append(byte)
                advance()
            }
        }
    }

    private mutating func literalString() throws(TOMLError) -> String {
        advance()  // '
        let start = index
        while true {
            guard let byte = peek() else { throw unexpected("\"'\" to close the string") }
            if byte == UInt8(ascii: "'") {
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                advance()
                return text
            }
            if isControl(byte) && byte != 0x09 {
                throw TOMLError("a control character in a string", at: position)
            }
            advance()
        }
    }

    // MARK: - Lexical helpers

    private var position: TOMLPosition { TOMLPosition(line: line, column: column) }

    private func unexpected(_ expected: String) -> TOMLError {
        guard let byte = peek() else {
            return TOMLError("expected \(expected), found the end of the document", at: position)
        }
        let found: String
        switch byte {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): found = "the end of the line"
        case 0x21...0x7E: found = "'\(Character(Unicode.Scalar(byte)))'"
        default: found = "byte 0x\(String(byte, radix: 16))"
        }
        return TOMLError("expected \(expected), found \(found)", at: position)
    }

    private func peek(offset: Int = 0) -> UInt8? {
        let i = index + offset
        return i >= 0 && i < bytes.count ? bytes[i] : nil
    }

    private func matches(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count else { return false }
        return bytes[index..<index + w.count].elementsEqual(w)
    }

    private mutating func advance() {
        guard index < bytes.count else { return }
        if bytes[index] & 0xC0 != 0x80 { column += 1 }
        index += 1
    }

    private mutating func newline() {
        advance()
        line += 1
        column = 1
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { advance() }
    }

    /// Inside arrays: whitespace, newlines and comments.
    private mutating func skipBlankLinesAndComments() throws(TOMLError) {
        while true {
            skipWhitespace()
            guard let byte = peek() else { return }
            if byte == UInt8(ascii: "#") {
                try comment()
            } else if byte == UInt8(ascii: "\n") {
                newline()
            } else if byte == UInt8(ascii: "\r") {
                guard peek(offset: 1) == UInt8(ascii: "\n") else {
                    throw TOMLError("a bare carriage return", at: position)
                }
                advance()
                newline()
            } else {
                return
            }
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func isControl(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F }

    private func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
