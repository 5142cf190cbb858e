/// A row that was skipped because it could not be read: where it is and why.
public struct MalformedRow: Sendable, Equatable, CustomStringConvertible {
    /// The file's path as it was given.
    public let file: String
    /// The 1-based line number (for JSON files, the line the entry starts on).
    public let line: Int
    public let reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(reason)" }
}
