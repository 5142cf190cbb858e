/// A Solidity ABI type, as written in canonical function signatures: `uint256`, `bytes32`, `(address,uint16)[]`.
///
/// Only canonical spellings parse (`uint256`, never `uint`), so a parsed type always renders back to the text
/// that selectors are hashed from.
public indirect enum ABIType: Hashable, Sendable, CustomStringConvertible {
    case address
    case bool
    /// `uintN`, N a multiple of 8 in 8...256.
    case uint(bits: Int)
    /// `intN`, N a multiple of 8 in 8...256.
    case int(bits: Int)
    /// `bytesN`, N in 1...32.
    case fixedBytes(Int)
    case bytes
    case string
    /// `T[]`
    case array(ABIType)
    /// `T[k]`, k ≥ 1.
    case fixedArray(ABIType, Int)
    /// `(T1,T2,…)`, at least one component.
    case tuple([ABIType])

    /// Types nest at most this deep; deeper ones are refused.
    public static let maxNesting = 32
    /// A fixed array has at most this many elements (bounds the work a type alone can demand).
    public static let maxFixedArrayLength = 1 << 16
    /// The static encoding of a type is at most this many bytes.
    public static let maxStaticSize = 1 << 24

    /// Parses a canonical type string.
    public init(parsing text: String) throws {
        var parser = Parser(Array(text.utf8))
        let type = try parser.parseType(depth: 0)
        guard parser.atEnd else { throw ABIError(.invalidType, "unexpected text after type in \"\(text)\"") }
        try type.validate()
        self = type
    }

    /// The canonical spelling.
    public var description: String {
        switch self {
        case .address: return "address"
        case .bool: return "bool"
        case .uint(let bits): return "uint\(bits)"
        case .int(let bits): return "int\(bits)"
        case .fixedBytes(let n): return "bytes\(n)"
        case .bytes: return "bytes"
        case .string: return "string"
        case .array(let element): return "\(element)[]"
        case .fixedArray(let element, let k): return "\(element)[\(k)]"
        case .tuple(let components): return "(" + components.map(\.description).joined(separator: ",") + ")"
        }
    }

    /// Whether the encoding lives in the tail (behind an offset) rather than in place.
    public var isDynamic: Bool {
        switch self {
        case .bytes, .string, .array: return true
        case .fixedArray(let element, _): return element.isDynamic
        case .tuple(let components): return components.contains { $0.isDynamic }
        default: return false
        }
    }

    /// Bytes this type occupies in the head of its enclosing tuple: 32 for a dynamic type (the offset).
    /// Only meaningful after `validate()`, which guarantees it does not overflow.
    var headSize: Int {
        if isDynamic { return 32 }
        switch self {
        case .fixedArray(let element, let k): return element.headSize * k
        case .tuple(let components): return components.reduce(0) { $0 + $1.headSize }
        default: return 32
        }
    }

    /// Checks widths, sizes and nesting, for types built in code as well as parsed ones.
    func validate(depth: Int = 0) throws {
        guard depth <= ABIType.maxNesting else { throw ABIError(.invalidType, "type nests too deeply") }
        switch self {
        case .address, .bool, .bytes, .string:
            break
        case .uint(let bits), .int(let bits):
            guard bits >= 8, bits <= 256, bits % 8 == 0 else {
                throw ABIError(.invalidType, "bad integer width \(bits)")
            }
        case .fixedBytes(let n):
            guard n >= 1, n <= 32 else { throw ABIError(.invalidType, "bytesN needs 1 ≤ N ≤ 32, got \(n)") }
        case .array(let element):
            try element.validate(depth: depth + 1)
        case .fixedArray(let element, let k):
            guard k >= 1, k <= ABIType.maxFixedArrayLength else {
                throw ABIError(.invalidType, "fixed array length \(k) out of range")
            }
            try element.validate(depth: depth + 1)
        case .tuple(let components):
            guard !components.isEmpty else { throw ABIError(.invalidType, "empty tuples are not allowed") }
            for component in components { try component.validate(depth: depth + 1) }
        }
        guard boundedHeadSize() != nil else { throw ABIError(.invalidType, "type is too large") }
    }

    /// The head size computed with overflow checks, nil when above `maxStaticSize`.
    private func boundedHeadSize() -> Int? {
        if isDynamic { return 32 }
        switch self {
        case .fixedArray(let element, let k):
            guard let size = element.boundedHeadSize() else { return nil }
            let (product, overflow) = size.multipliedReportingOverflow(by: k)
            return overflow || product > ABIType.maxStaticSize ? nil : product
        case .tuple(let components):
            var total = 0
            for component in components {
                guard let size = component.boundedHeadSize() else { return nil }
                total += size
                if total > ABIType.maxStaticSize { return nil }
            }
            return total
        default:
            return 32
        }
    }

    private struct Parser {
        let text: [UInt8]
        var position = 0

        init(_ text: [UInt8]) { self.text = text }

        var atEnd: Bool { position == text.count }

        mutating func parseType(depth: Int) throws -> ABIType {
            guard depth <= ABIType.maxNesting else { throw ABIError(.invalidType, "type nests too deeply") }
            var type: ABIType
            if position < text.count && text[position] == UInt8(ascii: "(") {
                position += 1
                var components = [ABIType]()
                while true {
                    components.append(try parseType(depth: depth + 1))
                    guard position < text.count else { throw ABIError(.invalidType, "unclosed tuple") }
                    if text[position] == UInt8(ascii: ",") {
                        position += 1
                        continue
                    }
                    if text[position] == UInt8(ascii: ")") {
                        position += 1
                        break
                    }
                    throw ABIError(.invalidType, "expected , or ) in tuple")
                }
                type = .tuple(components)
            } else {
                type = try parseElementary()
            }
            var suffixes = 0
            while position < text.count && text[position] == UInt8(ascii: "[") {
                suffixes += 1
                guard depth + suffixes <= ABIType.maxNesting else {
                    throw ABIError(.invalidType, "type nests too deeply")
                }
                position += 1
                if position < text.count && text[position] == UInt8(ascii: "]") {
                    position += 1
                    type = .array(type)
                } else {
                    let k = try parseNumber()
                    guard position < text.count && text[position] == UInt8(ascii: "]") else {
                        throw ABIError(.invalidType, "expected ] after array length")
                    }
                    position += 1
                    type = .fixedArray(type, k)
                }
            }
            return type
        }

        mutating func parseElementary() throws -> ABIType {
            let start = position
            while position < text.count, isLowerAlpha(text[position]) { position += 1 }
            let word = String(decoding: text[start..<position], as: UTF8.self)
            let hasNumber = position < text.count && isDigit(text[position])
            let n = hasNumber ? try parseNumber() : nil
            switch (word, n) {
            case ("address", nil): return .address
            case ("bool", nil): return .bool
            case ("bytes", nil): return .bytes
            case ("string", nil): return .string
            case ("uint", let n?): return .uint(bits: n)
            case ("int", let n?): return .int(bits: n)
            case ("bytes", let n?): return .fixedBytes(n)
            default: throw ABIError(.invalidType, "unknown type \"\(word)\(n.map(String.init) ?? "")\"")
            }
        }

        /// A decimal number without leading zeros, small enough to be a width or an array length.
        mutating func parseNumber() throws -> Int {
            let start = position
            while position < text.count, isDigit(text[position]) { position += 1 }
            let digits = text[start..<position]
            guard !digits.isEmpty, digits.count <= 7, !(digits.count > 1 && digits.first == UInt8(ascii: "0")) else {
                throw ABIError(.invalidType, "bad number in type")
            }
            return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }

        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        func isLowerAlpha(_ c: UInt8) -> Bool { c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") }
    }
}
