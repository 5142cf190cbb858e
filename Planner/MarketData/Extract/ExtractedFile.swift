import SigningPolicy

/// What the daily extract did with one history file.
public struct ExtractedFile: Sendable, Equatable {
    /// How the rows were chosen.
    public enum Rule: String, Sendable {
        /// The last row of each UTC day (hourly Aave, Uniswap and price series).
        case lastOfDay = "last row of each UTC day"
        /// Every well-formed row (daily series, and Chainlink rounds while they are few).
        case everyRow = "every row"
        /// The file copied byte for byte (incidents).
        case copied = "copied as is"
    }

    public let relativePath: String
    public let rule: Rule
    public let read: ReadReport
    public let rowsWritten: Int
    /// The first and last UTC day of the rows written, nil if none has a date.
    public let firstDay: Timestamp?
    public let lastDay: Timestamp?
}
