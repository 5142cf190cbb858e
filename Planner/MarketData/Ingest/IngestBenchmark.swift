import Foundation

/// Measures ingest throughput (`planner bench`'s `ingest_rows_per_s`): loads a data directory into a fresh
/// temporary SQLite store and divides the rows read by the time taken.
public struct IngestBenchmark: Sendable {
    public let data: HistoryDirectory

    public init(data: HistoryDirectory) { self.data = data }

    /// Rows read per second, store writes included; the temporary store is removed afterwards.
    public func rowsPerSecond() throws -> Double {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ingest-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteMarketStore(path: directory.appendingPathComponent("bench.sqlite").path)
        let clock = ContinuousClock()
        let start = clock.now
        let report = try HistoryIngest(store: store).ingest(data)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(report.rowsRead) / seconds : 0
    }
}
