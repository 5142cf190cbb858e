/// Loads every history file of a data directory into a `MarketStore`, streaming each file in batches.
///
/// Malformed rows are counted and skipped; a file that cannot be read at all is recorded in the report and the
/// other files are still loaded. Aave snapshots also yield the seed's `protocol_metrics` rows.
/// Running it twice adds nothing the second time (the store skips rows whose key it holds).
public struct HistoryIngest: Sendable {
    public let store: any MarketStore
    public let batchSize: Int
    /// Called after each batch with the file's path and the rows read from it so far.
    public let progress: @Sendable (String, Int) -> Void

    public init(store: any MarketStore, batchSize: Int = 5_000,
                progress: @escaping @Sendable (String, Int) -> Void = { _, _ in }) {
        self.store = store
        self.batchSize = max(1, batchSize)
        self.progress = progress
    }

    public func ingest(_ directory: HistoryDirectory) throws -> IngestReport {
        var report = IngestReport()
        let (files, ignored) = try directory.files()
        report.ignored = ignored
        for file in files {
            do {
                let (read, inserted, metrics) = try ingest(file)
                report.files.append(FileIngestReport(file: file, read: read, inserted: inserted))
                report.protocolMetricsInserted += metrics
            } catch let error as HistoryFileError {
                report.fileErrors.append(error)
            }
        }
        return report
    }

    /// Loads one file; returns what was read, the records inserted and the protocol metrics inserted.
    public func ingest(_ file: HistoryFile) throws -> (ReadReport, Int, Int) {
        switch file.kind {
        case .aave:
            return try load(file.csv(AaveSnapshot.self), file) { batch in
                let inserted = try store.insert(.aaveSnapshots(batch))
                return (inserted, try store.insert(.protocolMetrics(batch.map(ProtocolMetric.init))))
            }
        case .chainlink:
            return try load(file.csv(ChainlinkRound.self), file) { (try store.insert(.chainlinkRounds($0)), 0) }
        case .prices:
            return try load(file.csv(PricePoint.self), file) { (try store.insert(.pricePoints($0)), 0) }
        case .uniswap:
            return try load(file.csv(UniswapPoolState.self), file) { (try store.insert(.uniswapPoolStates($0)), 0) }
        case .etherscanDaily:
            return try load(file.csv(EtherscanDailyValue.self), file) {
                (try store.insert(.etherscanDailyValues($0)), 0)
            }
        case .compound:
            return try load(file.csv(CompoundMarketDay.self), file) { (try store.insert(.compoundMarketDays($0)), 0) }
        case .incidents:
            return try load(file.incidents, file) { (try store.insert(.incidents($0)), 0) }
        }
    }

    private func load<Source: HistorySource>(_ source: Source, _ file: HistoryFile,
                                             write: ([Source.Record]) throws -> (Int, Int)) throws
        -> (ReadReport, Int, Int)
    {
        var batch: [Source.Record] = []
        batch.reserveCapacity(batchSize)
        var inserted = 0, metrics = 0, seen = 0
        func flush() throws {
            guard !batch.isEmpty else { return }
            let (rows, derived) = try write(batch)
            inserted += rows
            metrics += derived
            seen += batch.count
            batch.removeAll(keepingCapacity: true)
            progress(file.relativePath, seen)
        }
        let read = try source.read { record in
            batch.append(record)
            if batch.count >= batchSize { try flush() }
        }
        try flush()
        return (read, inserted, metrics)
    }
}
