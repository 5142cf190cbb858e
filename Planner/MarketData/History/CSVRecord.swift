/// A record read from one row of a CSV history file with a fixed header.
public protocol CSVRecord: Sendable {
    /// The header's column names, in order (quotes removed).
    static var columns: [String] { get }

    /// Builds the record from a row's fields (as many as `columns`); `stem` is the file name without its
    /// extension (the market id, symbol or series name).
    init(fields: [String], stem: String) throws(RowError)

    /// Whether a header line is this file's; by default it must equal `columns` exactly.
    static func accepts(header: [String]) -> Bool
}

extension CSVRecord {
    public static func accepts(header: [String]) -> Bool { header == columns }
}
