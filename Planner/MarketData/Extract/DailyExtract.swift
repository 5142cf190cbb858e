import Foundation
import SigningPolicy

/// Derives the compact daily extract committed under `Planner/history` from a full data directory, keeping the
/// same layout, file names, headers and columns, so every reader reads both.
///
/// Rows are copied byte for byte (line endings included); only which rows are kept changes: the last row of each
/// UTC day for the hourly series, every row of the daily ones, all Chainlink rounds while there are at most
/// `chainlinkRowLimit` (else the last of each day), and the incident list as is. Malformed rows are left out and
/// reported.
public struct DailyExtract: Sendable {
    public let source: HistoryDirectory
    public let output: URL
    public let chainlinkRowLimit: Int

    public init(source: HistoryDirectory, output: URL, chainlinkRowLimit: Int = 5_000) {
        self.source = source
        self.output = output
        self.chainlinkRowLimit = chainlinkRowLimit
    }

    /// Writes every file the layout knows into `output`; returns what was done with each, in path order.
    public func run() throws -> [ExtractedFile] {
        let (files, _) = try source.files()
        var done: [ExtractedFile] = []
        for file in files {
            let target = output.appendingPathComponent(file.relativePath)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            switch file.kind {
            case .aave:
                done.append(try extract(file.csv(AaveSnapshot.self), file, to: target) { ($0.hour, $0.hour.seconds) })
            case .prices:
                done.append(try extract(file.csv(PricePoint.self), file, to: target) { ($0.at, $0.milliseconds) })
            case .uniswap:
                done.append(try extract(file.csv(UniswapPoolState.self), file, to: target) {
                    ($0.hour, $0.hour.seconds)
                })
            case .chainlink:
                done.append(try extract(file.csv(ChainlinkRound.self), file, to: target,
                                        keepAllUpTo: chainlinkRowLimit) { ($0.updatedAt, $0.updatedAt.seconds) })
            case .etherscanDaily:
                done.append(try extract(file.csv(EtherscanDailyValue.self), file, to: target,
                                        keepAllUpTo: .max) { ($0.day, $0.day.seconds) })
            case .compound:
                done.append(try extract(file.csv(CompoundMarketDay.self), file, to: target,
                                        keepAllUpTo: .max) { ($0.day, $0.day.seconds) })
            case .incidents:
                done.append(try copyIncidents(file, to: target))
            }
        }
        return done
    }

    /// Keeps every row while there are at most `keepAllUpTo`, else the last row (by `order`) of each UTC day.
    private func extract<Record: CSVRecord>(_ csv: CSVHistoryFile<Record>, _ file: HistoryFile, to target: URL,
                                            keepAllUpTo limit: Int = 0,
                                            time: (Record) -> (Timestamp, Int64)) throws -> ExtractedFile
    {
        var preamble: [[UInt8]] = []
        var all: [(day: Timestamp, line: [UInt8])] = []
        var keepingAll = limit > 0
        var lastOfDay: [Int64: (order: Int64, day: Timestamp, line: [UInt8])] = [:]
        let read = try csv.readEvents { event in
            switch event {
            case .preamble(let line):
                preamble.append(line.raw)
            case .record(let record, let line):
                let (at, order) = time(record)
                let day = UTCDate.startOfDay(at)
                if keepingAll {
                    all.append((day, line.raw))
                    if all.count > limit {
                        keepingAll = false
                        all.removeAll()
                    }
                }
                if let kept = lastOfDay[day.seconds], kept.order > order { return }
                lastOfDay[day.seconds] = (order, day, line.raw)
            }
        }
        let rows: [(day: Timestamp, line: [UInt8])] = keepingAll
            ? all
            : lastOfDay.values.sorted { $0.day < $1.day }.map { ($0.day, $0.line) }
        var bytes: [UInt8] = []
        for line in preamble + rows.map(\.line) {
            bytes.append(contentsOf: line)
            bytes.append(UInt8(ascii: "\n"))
        }
        try Data(bytes).write(to: target, options: .atomic)
        let days = rows.map(\.day)
        return ExtractedFile(relativePath: file.relativePath, rule: keepingAll ? .everyRow : .lastOfDay, read: read,
                             rowsWritten: rows.count, firstDay: days.min(), lastDay: days.max())
    }

    private func copyIncidents(_ file: HistoryFile, to target: URL) throws -> ExtractedFile {
        var dates: [Timestamp] = []
        let read = try file.incidents.read { dates.append($0.date) }
        guard let data = FileManager.default.contents(atPath: file.url.path) else {
            throw HistoryFileError(.unreadable, file: file.relativePath, line: 0, "cannot read the file")
        }
        try data.write(to: target, options: .atomic)
        return ExtractedFile(relativePath: file.relativePath, rule: .copied, read: read, rowsWritten: read.rowsRead,
                             firstDay: dates.min(), lastDay: dates.max())
    }
}
