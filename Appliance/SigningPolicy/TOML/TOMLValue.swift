/// A value of the TOML subset that policies and policy test cases use.
///
/// Deliberately small: strings, 64-bit integers, booleans, arrays and tables. Floats, dates and times are not
/// part of the subset; the parser rejects them rather than guessing.
public enum TOMLValue: Hashable, Sendable {
    case string(String)
    case integer(Int64)
    case boolean(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    /// A word for error messages: "a string", "an integer", …
    public var typeDescription: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .boolean: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}
