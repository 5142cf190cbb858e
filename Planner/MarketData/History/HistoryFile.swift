import Foundation

/// One file of a data directory: where it is, its path inside the directory and what it holds.
public struct HistoryFile: Sendable, Hashable {
    public let url: URL
    /// The path inside the data directory, for example `aave/aave_v3_usdc_eth.csv`; used in reports.
    public let relativePath: String
    public let kind: HistoryKind

    public init(url: URL, relativePath: String, kind: HistoryKind) {
        self.url = url
        self.relativePath = relativePath
        self.kind = kind
    }

    /// The file name without extension: the market id, symbol, series or pool.
    public var stem: String { url.deletingPathExtension().lastPathComponent }

    /// The file as a CSV source of `Record`s.
    public func csv<Record: CSVRecord>(_: Record.Type = Record.self) -> CSVHistoryFile<Record> {
        CSVHistoryFile(url: url, name: relativePath)
    }

    /// The file as a JSON source of incidents.
    public var incidents: IncidentFile { IncidentFile(url: url, name: relativePath) }
}
