/// Why bytes were refused as RLP, or an RLP item as the expected shape. Compared by `code`.
public struct RLPError: Error, Equatable, CustomStringConvertible {
    /// The closed set of reasons.
    public enum Code: String, Sendable {
        case truncated
        case trailingBytes
        case nonCanonicalLength
        case nonCanonicalSingleByte
        case lengthOverflow
        case tooDeep
        case expectedBytes
        case expectedList
        case leadingZeroInInteger
        case integerTooLarge
    }

    public let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func == (lhs: RLPError, rhs: RLPError) -> Bool { lhs.code == rhs.code }
}
