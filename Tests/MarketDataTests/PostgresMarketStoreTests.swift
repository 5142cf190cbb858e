import Foundation
import MarketData
import SigningPolicy
import TestSupport
import Testing

/// The PostgreSQL store against a real throwaway server: the same counts as SQLite, idempotent, durable.
struct PostgresMarketStoreTests {
    /// A store on a fresh database of the shared throwaway server.
    private func freshStore() throws -> (PostgresMarketStore, String) {
        let url = try ThrowawayPostgres.shared().makeDatabase()
        return (try PostgresMarketStore(url: url), url)
    }

    private func counts(_ store: any MarketStore) throws -> [StoreTable: Int] {
        var counts: [StoreTable: Int] = [:]
        for table in StoreTable.allCases { counts[table] = try store.count(table) }
        return counts
    }

    /// The hostile fixtures laid out as a data directory (the same as MarketStoreTests uses).
    private func hostileDirectory() throws -> URL {
        let data = try FixturePaths.temporaryDirectory()
        for folder in ["aave", "prices", "incidents", "gas"] {
            try FileManager.default.createDirectory(at: data.appendingPathComponent(folder),
                                                    withIntermediateDirectories: true)
        }
        for (fixture, target) in [("aave_v3_usdc_eth.csv", "aave/aave_v3_usdc_eth.csv"),
                                  ("USDC_usd.csv", "prices/USDC_usd.csv"),
                                  ("incidents.json", "incidents/incidents.json"), ("empty.csv", "gas/GasUsed.csv")] {
            try FileManager.default.copyItem(at: FixturePaths.hostile(fixture), to: data.appendingPathComponent(target))
        }
        return data
    }

    @Test func ingestingTheExtractIntoPostgresGivesTheSameCountsAsSQLiteAndTheSecondRunInsertsNothing() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlite = try SQLiteMarketStore(path: directory.appendingPathComponent("store.sqlite").path)
        let extract = HistoryDirectory(root: FixturePaths.committedExtract)
        let sqliteReport = try HistoryIngest(store: sqlite).ingest(extract)

        let (postgres, _) = try freshStore()
        defer { postgres.close() }
        let ingest = HistoryIngest(store: postgres)
        let first = try ingest.ingest(extract)
        #expect(first.fileErrors.isEmpty && first.malformed == 0)
        #expect(first.inserted == first.rowsRead && first.inserted == sqliteReport.inserted)
        #expect(first.protocolMetricsInserted == sqliteReport.protocolMetricsInserted)
        let expected = try counts(sqlite)
        #expect(expected.values.reduce(0, +) > 10_000)
        #expect(try counts(postgres) == expected)

        let second = try ingest.ingest(extract)
        #expect(second.rowsRead == first.rowsRead)
        #expect(second.inserted == 0 && second.protocolMetricsInserted == 0)
        #expect(second.files.allSatisfy { $0.alreadyStored == $0.read.records })
        #expect(try counts(postgres) == expected)
    }

    @Test func postgresIngestCountsAndSkipsMalformedRowsExactlyAsSQLiteDoes() throws {
        let data = try hostileDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let sqlite = try SQLiteMarketStore(path: data.appendingPathComponent("store.sqlite").path)
        let sqliteReport = try HistoryIngest(store: sqlite, batchSize: 2).ingest(HistoryDirectory(root: data))
        let (postgres, _) = try freshStore()
        defer { postgres.close() }
        let ingest = HistoryIngest(store: postgres, batchSize: 2)
        let report = try ingest.ingest(HistoryDirectory(root: data))
        #expect(report.files.map(\.read.malformed) == [9, 7, 3])
        #expect(report.files.map(\.inserted) == [2, 1, 1])
        #expect(report.files.map(\.inserted) == sqliteReport.files.map(\.inserted))
        #expect(report.fileErrors.map(\.code) == [.empty])
        #expect(report.files[0].read.examples.first?.description
                == "aave/aave_v3_usdc_eth.csv:3: TVL_USD: not a number: \"abc\"")
        #expect(try counts(postgres) == counts(sqlite))
        #expect(try ingest.ingest(HistoryDirectory(root: data)).inserted == 0)
    }

    @Test func postgresSeedTablesKeepOneRowPerKeyAndDuplicatesWithinABatchAreStoredOnce() throws {
        let (store, _) = try freshStore()
        defer { store.close() }
        let at = Timestamp(rfc3339: "2023-03-11T02:00:00Z")!
        let metric = ProtocolMetric(timestamp: at, protocolID: "aave_v3_usdc_eth", apy: 0.031, tvlUSD: nil,
                                    utilizationRate: 0.8, riskScore: 42, liquidityDepthUSD: 2e8)
        let snapshot = PortfolioSnapshot(timestamp: at, valueUSD: 1e6, allocations: ["aave_v3_usdc_eth": 4500],
                                         realizedPnLUSD: 10, unrealizedPnLUSD: -2, totalGasSpentUSD: 3,
                                         sharpeRatio: nil)
        let alert = RiskAlert(timestamp: at, severity: .critical, protocolID: "aave_v3_usdc_eth",
                              alertType: "peg_deviation", message: "USDC at 0.883")
        for expected in [1, 0] {
            #expect(try store.insert(.protocolMetrics([metric, metric])) == expected)
            #expect(try store.insert(.portfolioSnapshots([snapshot])) == expected)
            #expect(try store.insert(.riskAlerts([alert])) == expected)
        }
        var later = alert
        later.timestamp = Timestamp(seconds: at.seconds + 3_600)
        #expect(try store.insert(.riskAlerts([later, alert])) == 1)
        #expect(try store.count(.riskAlerts) == 2)
        #expect(try store.count(.protocolMetrics) == 1)
        #expect(try store.insert(.pricePoints([])) == 0)
    }

    @Test func reopeningThePostgresStoreKeepsItsRows() throws {
        let (store, url) = try freshStore()
        let file = HistoryFile(url: FixturePaths.good.appendingPathComponent("prices/USDC_usd.csv"),
                               relativePath: "prices/USDC_usd.csv", kind: .prices)
        #expect(try HistoryIngest(store: store).ingest(file).1 == 4)
        store.close()
        #expect(throws: PostgresStoreError.self) { try store.count(.pricePoints) }
        let reopened = try PostgresMarketStore(url: url)
        defer { reopened.close() }
        #expect(try reopened.count(.pricePoints) == 4)
        #expect(try HistoryIngest(store: reopened).ingest(file).1 == 0)
    }

    @Test func anUnreachablePostgresServerFailsWithAHint() throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let error = try #require(throws: PostgresStoreError.self) {
            try PostgresMarketStore(url: "postgres://postgres@127.0.0.1:1/market", connectTimeout: .seconds(5))
        }
        #expect(error.code == .unreachable)
        #expect(error.message.contains("127.0.0.1:1"))
        #expect(!error.hint.isEmpty)
    }

    @Test func aMissingPostgresDatabaseIsRejectedWithAHint() throws {
        let server = try ThrowawayPostgres.shared()
        let error = try #require(throws: PostgresStoreError.self) {
            try PostgresMarketStore(url: server.url(database: "no_such_database"))
        }
        #expect(error.code == .rejected)
        #expect(error.message.contains("no_such_database"))
        #expect(error.hint.contains("database"))
    }

    @Test func malformedPostgresURLsAreRejectedBeforeConnecting() throws {
        for text in ["postgres://", "mysql://u@h/db", "postgres://u@h:99999/db", "postgres://u@h/a/b",
                     "postgres://u@h/db?sslmode=require"] {
            let error = try #require(throws: PostgresStoreError.self, "\(text)") { try PostgresStoreURL(text) }
            #expect(error.code == .badURL, "\(text)")
        }
    }

    @Test func postgresURLsParseIntoTCPAndUnixSocketEndpointsAndHideThePassword() throws {
        let tcp = try PostgresStoreURL("postgres://planner:secret@db.internal:6543/market")
        #expect(tcp.endpoint == .tcp(host: "db.internal", port: 6543))
        #expect(tcp.username == "planner" && tcp.password == "secret" && tcp.database == "market")
        #expect(!tcp.description.contains("secret"))
        let socket = try PostgresStoreURL("postgresql://postgres@localhost/market?host=/tmp/pg")
        #expect(socket.endpoint == .unixSocket(path: "/tmp/pg/.s.PGSQL.5432"))
        let defaults = try PostgresStoreURL("postgres://db.internal")
        #expect(defaults.endpoint == .tcp(host: "db.internal", port: 5432))
        #expect(defaults.username == "postgres" && defaults.database == "postgres")
    }
}
