/// What loading one history file into a store did.
public struct FileIngestReport: Sendable, Equatable {
    public let file: HistoryFile
    /// Rows read and malformed rows skipped.
    public let read: ReadReport
    /// Records that were new to the store.
    public let inserted: Int
    /// Records whose key the store already held (from an earlier run, or earlier in the same file).
    public var alreadyStored: Int { read.records - inserted }
}
