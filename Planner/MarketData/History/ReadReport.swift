/// What reading one history file found: rows seen, rows skipped as malformed, and the first few of those.
public struct ReadReport: Sendable, Equatable {
    /// How many malformed rows are kept as examples; the rest are only counted.
    public static let exampleLimit = 10

    /// The file's path as it was given.
    public let file: String
    /// Data rows seen (header and `#` comment lines excluded), malformed ones included.
    public internal(set) var rowsRead = 0
    /// Rows skipped because they could not be read.
    public internal(set) var malformed = 0
    /// The first `exampleLimit` malformed rows.
    public internal(set) var examples: [MalformedRow] = []

    /// Rows that became records.
    public var records: Int { rowsRead - malformed }

    public init(file: String) { self.file = file }

    mutating func countRow() { rowsRead += 1 }

    mutating func skip(line: Int, reason: String) {
        malformed += 1
        if examples.count < Self.exampleLimit { examples.append(MalformedRow(file: file, line: line, reason: reason)) }
    }
}
