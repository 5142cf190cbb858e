/// A strict RFC 8259 parser for untrusted input.
///
/// - The input must be valid UTF-8 and exactly one JSON value, with only JSON whitespace around it.
/// - No trailing commas, comments, `NaN`/`Infinity`, leading zeros, raw control characters in strings, or lone
///   surrogates in `\u` escapes.
/// - Nesting is capped (8 for the protocol): opening container number `maxDepth + 1` is an error at once. The
///   parser keeps its own explicit stack and never recurses, so no input can exhaust the thread's stack.
/// - A key repeated in one object (compared byte for byte after unescaping) is `DUPLICATE_KEY`; a syntax error
///   anywhere in the document takes precedence and is `MALFORMED_JSON`.
///
/// Numbers keep their text (`JSONNumber`) so the decoder can demand exact integers.
public struct JSONParser {
    /// The protocol's nesting limit: a top-level object counts as depth 1.
    public static let protocolMaxDepth = 8

    private let bytes: [UInt8]
    private var position = 0
    private let maxDepth: Int
    private var firstDuplicate: WireError?

    /// One open container on the explicit stack.
    private struct OpenContainer {
        var isObject: Bool
        var elements: [JSONValue] = []
        var members: [JSONValue.Member] = []
        var keys: Set<[UInt8]> = []
        var pendingKey = ""
    }

    private init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Parses `bytes` as one JSON value.
    ///
    /// - Throws: `MALFORMED_JSON` (bad UTF-8, bad grammar, too deep) or `DUPLICATE_KEY`.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = protocolMaxDepth) throws(WireError) -> JSONValue {
        guard UTF8Validator.isValid(bytes) else {
            throw WireError(.malformedJSON, "input is not valid UTF-8")
        }
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        let value = try parser.parseDocument()
        if let duplicate = parser.firstDuplicate { throw duplicate }
        return value
    }

    // MARK: - Document structure

    private mutating func parseDocument() throws(WireError) -> JSONValue {
        var stack: [OpenContainer] = []
        while true {
            // Expecting a value.
            skipWhitespace()
            var value: JSONValue
            guard let c = peek() else { throw malformed("unexpected end of input, expected a value") }
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard stack.count < maxDepth else {
                    throw malformed("nesting deeper than \(maxDepth)")
                }
                position += 1
                let isObject = c == UInt8(ascii: "{")
                skipWhitespace()
                if isObject, peek() == UInt8(ascii: "}") {
                    position += 1
                    value = .object([])
                } else if !isObject, peek() == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    var container = OpenContainer(isObject: isObject)
                    if isObject { try readKey(into: &container) }
                    stack.append(container)
                    continue
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString().string)
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try parseNumber())
            default:
                throw malformed("unexpected character, expected a value")
            }

            // A value is complete: attach it to the innermost open container, closing containers as they end.
            while true {
                guard !stack.isEmpty else {
                    skipWhitespace()
                    guard position == bytes.count else { throw malformed("unexpected data after the JSON value") }
                    return value
                }
                let top = stack.count - 1
                if stack[top].isObject {
                    stack[top].members.append(JSONValue.Member(stack[top].pendingKey, value))
                } else {
                    stack[top].elements.append(value)
                }
                skipWhitespace()
                guard let next = peek() else { throw malformed("unexpected end of input inside a container") }
                position += 1
                if next == UInt8(ascii: ",") {
                    if stack[top].isObject { try readKey(into: &stack[top]) }
                    break
                }
                let closer = stack[top].isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                guard next == closer else {
                    position -= 1
                    throw malformed(stack[top].isObject ? "expected , or }" : "expected , or ]")
                }
                let closed = stack.removeLast()
                value = closed.isObject ? .object(closed.members) : .array(closed.elements)
            }
        }
    }

    /// Reads `"key" :` into the open object, noting the first duplicate key.
    private mutating func readKey(into container: inout OpenContainer) throws(WireError) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw malformed("expected a string key") }
        let (key, raw) = try parseString()
        if !container.keys.insert(raw).inserted, firstDuplicate == nil {
            firstDuplicate = WireError(.duplicateKey, "duplicate key \(FieldPath.display(key))")
        }
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw malformed("expected : after an object key") }
        position += 1
        container.pendingKey = key
    }

    // MARK: - Scalars

    private mutating func parseString() throws(WireError) -> (string: String, utf8: [UInt8]) {
        position += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw malformed("unterminated string") }
            switch c {
            case UInt8(ascii: "\""):
                position += 1
                return (String(decoding: out, as: UTF8.self), out)
            case UInt8(ascii: "\\"):
                position += 1
                guard let e = peek() else { throw malformed("unterminated escape") }
                position += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try parseUnicodeEscape()
                    out.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    position -= 1
                    throw malformed("invalid escape")
                }
            case 0..<0x20:
                throw malformed("control character in a string")
            default:
                out.append(c)
                position += 1
            }
        }
    }

    /// After `\u`: four hex digits, and for a high surrogate the `\uXXXX` low surrogate that must follow.
    private mutating func parseUnicodeEscape() throws(WireError) -> Unicode.Scalar {
        let first = try parseHex4()
        switch first {
        case 0xD800...0xDBFF:
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                  bytes[position + 1] == UInt8(ascii: "u")
            else { throw malformed("high surrogate without a low surrogate") }
            position += 2
            let second = try parseHex4()
            guard (0xDC00...0xDFFF).contains(second) else {
                throw malformed("high surrogate without a low surrogate")
            }
            let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(code) else { throw malformed("invalid surrogate pair") }
            return scalar
        case 0xDC00...0xDFFF:
            throw malformed("lone low surrogate")
        default:
            guard let scalar = Unicode.Scalar(first) else { throw malformed("invalid \\u escape") }
            return scalar
        }
    }

    private mutating func parseHex4() throws(WireError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek() else { throw malformed("truncated \\u escape") }
            let nibble: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw malformed("invalid hex digit in \\u escape")
            }
            value = value << 4 | nibble
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(WireError) -> JSONNumber {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { throw malformed("expected a digit") }
        position += 1
        if first == UInt8(ascii: "0") {
            if let c = peek(), isDigit(c) { throw malformed("leading zero in a number") }
        } else {
            while let c = peek(), isDigit(c) { position += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let c = peek(), isDigit(c) else { throw malformed("expected a digit after the decimal point") }
            while let c = peek(), isDigit(c) { position += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let c = peek(), isDigit(c) else { throw malformed("expected a digit in the exponent") }
            while let c = peek(), isDigit(c) { position += 1 }
        }
        return JSONNumber(uncheckedText: String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(WireError) {
        let count = literal.utf8CodeUnitCount
        let matches = literal.withUTF8Buffer { expected in
            position + count <= bytes.count && bytes[position..<position + count].elementsEqual(expected)
        }
        guard matches else { throw malformed("invalid literal") }
        position += count
    }

    // MARK: - Helpers

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private mutating func skipWhitespace() {
        while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
    }

    private func malformed(_ what: String) -> WireError {
        WireError(.malformedJSON, "\(what) at byte \(position)")
    }
}
