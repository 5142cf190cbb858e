/// Why a type, a value or an encoding was refused by the ABI coder. Compared by `code`.
public struct ABIError: Error, Equatable, CustomStringConvertible {
    /// The closed set of reasons.
    public enum Code: String, Sendable {
        case invalidType
        case valueDoesNotMatchType
        case valueOutOfRange
        case countMismatch
        case truncated
        case nonCanonical
        case invalidOffset
        case invalidLength
        case invalidPadding
        case invalidUTF8
        case invalidSignature
        case selectorMismatch
    }

    public let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func == (lhs: ABIError, rhs: ABIError) -> Bool { lhs.code == rhs.code }
}
