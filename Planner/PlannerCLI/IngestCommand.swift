import ArgumentParser
import Foundation
import MarketData

/// `planner ingest`: load a data directory into the market store.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load every history file of a data directory into the market store (SQLite or PostgreSQL).",
        discussion: """
            Reads DIR laid out like ../shared/data (or the committed extract, Planner/history). Each file's rows
            are read, checked and inserted; malformed rows are counted, reported with file and line, and skipped.
            Rows already in the store are left alone, so running it again inserts nothing.

            --store is a SQLite file (the default, planner.sqlite) or a PostgreSQL URL,
            postgres://user[:password]@host[:port]/database, or for a Unix socket
            postgres://user@localhost[:port]/database?host=/socket/dir. PostgreSQL gets the same tables and keys;
            when the server offers TimescaleDB, the time-series tables become hypertables.

            Exit status: 0 when every file was read (malformed rows included), 1 if a file could not be read or
            the store could not be opened.

            Examples:
              planner ingest --data ../shared/data --store planner.sqlite
              planner ingest --data ../shared/data --store postgres://planner@db.internal:5432/market
            """)

    @Option(help: ArgumentHelp("The data directory.", valueName: "DIR"))
    var data: String

    @Option(help: ArgumentHelp("The SQLite store (created if missing), or a postgres:// URL.",
                               valueName: "PATH|URL"))
    var store: String = "planner.sqlite"

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "Do not print progress on standard error.")
    var quiet = false

    func run() throws {
        let marketStore = openStore()
        let showProgress = !quiet
        let ingest = HistoryIngest(store: marketStore) { file, rows in
            // Batches are 5,000 rows, so this fires on long files only.
            guard showProgress, rows % 20_000 == 0 else { return }
            FileHandle.standardError.write(Data("\(file): \(rows) rows…\n".utf8))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let report: IngestReport
        do {
            report = try ingest.ingest(HistoryDirectory(root: URL(fileURLWithPath: data)))
        } catch let error as HistoryFileError {
            PlannerFailure("\(error)", hint: "pass --data with a directory laid out like ../shared/data").exit()
        } catch {
            PlannerFailure("ingest failed: \(error)", hint: "check the store \(storeName) and try again").exit()
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if json {
            print(Self.json(report, store: storeName, seconds: seconds))
        } else {
            print(Self.text(report, seconds: seconds))
        }
        if let first = report.fileErrors.first {
            PlannerFailure("\(report.fileErrors.count) file(s) could not be read, the first: \(first)",
                           hint: "fix or remove the file; the other files were loaded").exit()
        }
    }

    /// `--store` as it may be printed: a PostgreSQL URL without its password.
    private var storeName: String {
        PostgresStoreURL.isPostgresURL(store) ? (try? PostgresStoreURL(store))?.description ?? "(a PostgreSQL URL)"
            : store
    }

    /// The store `--store` names: PostgreSQL for a postgres:// URL, otherwise a SQLite file.
    private func openStore() -> any MarketStore {
        if PostgresStoreURL.isPostgresURL(store) {
            do {
                return try PostgresMarketStore(url: store)
            } catch let error as PostgresStoreError {
                PlannerFailure(error.message, hint: error.hint).exit()
            } catch {
                PlannerFailure("cannot open the PostgreSQL store: \(error)", hint: "check the URL").exit()
            }
        }
        do {
            return try SQLiteMarketStore(path: store)
        } catch {
            PlannerFailure("cannot open the store \(store): \(error)", hint: "pass --store with a writable path")
                .exit()
        }
    }

    static func text(_ report: IngestReport, seconds: Double) -> String {
        let width = max(4, report.files.map(\.file.relativePath.count).max() ?? 0)
        func pad(_ text: String, _ n: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - text.count))
            return left ? text + fill : fill + text
        }
        var lines = [pad("file", width, left: true) + pad("read", 10) + pad("inserted", 10) + pad("existing", 10)
                     + pad("malformed", 11)]
        for file in report.files {
            lines.append(pad(file.file.relativePath, width, left: true) + pad("\(file.read.rowsRead)", 10)
                         + pad("\(file.inserted)", 10) + pad("\(file.alreadyStored)", 10)
                         + pad("\(file.read.malformed)", 11))
        }
        lines.append(pad("total", width, left: true) + pad("\(report.rowsRead)", 10) + pad("\(report.inserted)", 10)
                     + pad("\(report.rowsRead - report.malformed - report.inserted)", 10)
                     + pad("\(report.malformed)", 11))
        lines.append("protocol_metrics: \(report.protocolMetricsInserted) rows inserted (derived from the Aave files)")
        let examples = report.files.flatMap(\.read.examples)
        if !examples.isEmpty {
            lines.append("malformed rows (the first few of each file):")
            lines += examples.prefix(20).map { "  \($0)" }
        }
        for error in report.fileErrors { lines.append("unreadable: \(error)") }
        for path in report.ignored { lines.append("ignored (not in the layout): \(path)") }
        let rate = seconds > 0 ? Int(Double(report.rowsRead) / seconds) : 0
        lines.append(String(format: "%.2f s, %d rows/s", seconds, rate))
        return lines.joined(separator: "\n")
    }

    static func json(_ report: IngestReport, store: String, seconds: Double) -> String {
        let files: [[String: Any]] = report.files.map { file in
            ["file": file.file.relativePath, "kind": file.file.kind.rawValue,
             "table": StoreTable(file.file.kind).rawValue, "rows_read": file.read.rowsRead,
             "inserted": file.inserted, "already_stored": file.alreadyStored, "malformed": file.read.malformed,
             "malformed_examples": file.read.examples.map { ["line": $0.line, "reason": $0.reason] as [String: Any] }]
        }
        let object: [String: Any] = [
            "store": store, "files": files, "rows_read": report.rowsRead, "inserted": report.inserted,
            "malformed": report.malformed, "protocol_metrics_inserted": report.protocolMetricsInserted,
            "file_errors": report.fileErrors.map {
                ["file": $0.file, "line": $0.line, "code": $0.code.rawValue, "message": $0.message] as [String: Any]
            },
            "ignored": report.ignored, "seconds": seconds,
            "ingest_rows_per_s": seconds > 0 ? Double(report.rowsRead) / seconds : 0,
        ]
        return JSONText.serialize(object)
    }
}
