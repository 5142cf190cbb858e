/// A problem with a whole history file (it cannot be read, or its header is not the one expected), as opposed
/// to a malformed row, which is reported and skipped.
public struct HistoryFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable codes, compared by value.
    public enum Code: String, Sendable {
        case unreadable = "UNREADABLE"
        case empty = "EMPTY_FILE"
        case missingHeader = "MISSING_HEADER"
        case unexpectedHeader = "UNEXPECTED_HEADER"
        case tooLarge = "FILE_TOO_LARGE"
        case notAnArray = "NOT_A_JSON_ARRAY"
    }

    public let code: Code
    /// The file's path as it was given.
    public let file: String
    /// The 1-based line the problem was found on (0 when it concerns the file as a whole).
    public let line: Int
    public let message: String

    public init(_ code: Code, file: String, line: Int, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(code.rawValue): \(message)" }
}
