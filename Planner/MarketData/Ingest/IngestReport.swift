/// What loading a data directory into a store did, file by file.
public struct IngestReport: Sendable, Equatable {
    public var files: [FileIngestReport] = []
    /// Files that could not be read at all (unreadable, empty, wrong header), with file and line.
    public var fileErrors: [HistoryFileError] = []
    /// Files in the directory that the layout has no place for.
    public var ignored: [String] = []
    /// `protocol_metrics` rows derived from the Aave snapshots that were new to the store.
    public var protocolMetricsInserted = 0

    public init() {}

    public var rowsRead: Int { files.reduce(0) { $0 + $1.read.rowsRead } }
    public var malformed: Int { files.reduce(0) { $0 + $1.read.malformed } }
    public var inserted: Int { files.reduce(0) { $0 + $1.inserted } }
}
