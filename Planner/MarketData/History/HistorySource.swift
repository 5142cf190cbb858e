/// A source of historical market records, read in order.
///
/// Malformed rows are never thrown: they are counted and reported in the returned `ReadReport` with their file
/// and line, and reading goes on. Only a problem with the source as a whole throws (`HistoryFileError`).
public protocol HistorySource {
    associatedtype Record: Sendable

    /// Calls `body` with each well-formed record in order and returns what was read and skipped.
    func read(_ body: (Record) throws -> Void) throws -> ReadReport
}
