import Foundation
import MarketData
import SigningPolicy
import Testing

/// The SQLite store and `HistoryIngest`: counts match what was read, and a second load adds nothing.
struct MarketStoreTests {
    private func withStore(_ body: (SQLiteMarketStore, URL) throws -> Void) throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(try SQLiteMarketStore(path: directory.appendingPathComponent("store.sqlite").path), directory)
    }

    /// Every table's count equals the rows read minus the malformed ones, summed over the files that feed it.
    private func expectCountsMatch(_ report: IngestReport, _ store: SQLiteMarketStore) throws {
        var expected: [StoreTable: Int] = [:]
        for file in report.files { expected[StoreTable(file.file.kind), default: 0] += file.read.records }
        for (table, rows) in expected {
            #expect(try store.count(table) == rows, "\(table.rawValue)")
        }
        #expect(try store.count(.protocolMetrics) == expected[.aaveSnapshots] ?? 0)
    }

    @Test func ingestingTheExtractTwiceStoresEveryRowOnceAndTheSecondRunInsertsNothing() throws {
        try withStore { store, _ throws in
            let ingest = HistoryIngest(store: store, batchSize: 1_000)
            let first = try ingest.ingest(HistoryDirectory(root: FixturePaths.committedExtract))
            #expect(first.fileErrors.isEmpty && first.malformed == 0)
            #expect(first.files.count == 27)
            #expect(first.inserted == first.rowsRead)
            #expect(first.protocolMetricsInserted > 10_000)
            try expectCountsMatch(first, store)

            let second = try ingest.ingest(HistoryDirectory(root: FixturePaths.committedExtract))
            #expect(second.rowsRead == first.rowsRead)
            #expect(second.inserted == 0 && second.protocolMetricsInserted == 0)
            #expect(second.files.allSatisfy { $0.alreadyStored == $0.read.records })
            try expectCountsMatch(first, store)
        }
    }

    @Test func ingestSkipsMalformedRowsCountsThemAndLoadsTheRest() throws {
        let data = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        for folder in ["aave", "prices", "incidents", "gas"] {
            try FileManager.default.createDirectory(at: data.appendingPathComponent(folder),
                                                    withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(at: FixturePaths.hostile("aave_v3_usdc_eth.csv"),
                                         to: data.appendingPathComponent("aave/aave_v3_usdc_eth.csv"))
        try FileManager.default.copyItem(at: FixturePaths.hostile("USDC_usd.csv"),
                                         to: data.appendingPathComponent("prices/USDC_usd.csv"))
        try FileManager.default.copyItem(at: FixturePaths.hostile("incidents.json"),
                                         to: data.appendingPathComponent("incidents/incidents.json"))
        try FileManager.default.copyItem(at: FixturePaths.hostile("empty.csv"),
                                         to: data.appendingPathComponent("gas/GasUsed.csv"))
        try Data("notes".utf8).write(to: data.appendingPathComponent("prices/README.txt"))
        try withStore { store, _ throws in
            let ingest = HistoryIngest(store: store, batchSize: 2)
            let report = try ingest.ingest(HistoryDirectory(root: data))
            #expect(report.files.map(\.file.relativePath)
                    == ["aave/aave_v3_usdc_eth.csv", "incidents/incidents.json", "prices/USDC_usd.csv"])
            #expect(report.files.map(\.read.malformed) == [9, 7, 3])
            #expect(report.files.map(\.inserted) == [2, 1, 1])
            #expect(report.fileErrors.map(\.code) == [.empty])
            #expect(report.fileErrors.first?.file == "gas/GasUsed.csv")
            #expect(report.ignored == ["prices/README.txt"])
            #expect(report.files[0].read.examples.first?.description
                    == "aave/aave_v3_usdc_eth.csv:3: TVL_USD: not a number: \"abc\"")
            try expectCountsMatch(report, store)
            #expect(try ingest.ingest(HistoryDirectory(root: data)).inserted == 0)
        }
    }

    @Test func verbatimDuplicateIncidentsAreEachStoredOnceAcrossRuns() throws {
        try withStore { store, _ throws in
            let file = HistoryFile(url: FixturePaths.good.appendingPathComponent("incidents/incidents.json"),
                                   relativePath: "incidents/incidents.json", kind: .incidents)
            let ingest = HistoryIngest(store: store)
            #expect(try ingest.ingest(file).1 == 4)
            #expect(try ingest.ingest(file).1 == 0)
            #expect(try store.count(.incidents) == 4)
        }
    }

    @Test func seedTablesKeepOneRowPerKey() throws {
        try withStore { store, _ throws in
            let at = Timestamp(rfc3339: "2023-03-11T02:00:00Z")!
            let metric = ProtocolMetric(timestamp: at, protocolID: "aave_v3_usdc_eth", apy: 0.031, tvlUSD: 1e9,
                                        utilizationRate: 0.8, riskScore: 42, liquidityDepthUSD: 2e8)
            let snapshot = PortfolioSnapshot(timestamp: at, valueUSD: 1e6, allocations: ["aave_v3_usdc_eth": 4500,
                                                                                          "reserve": 500],
                                             realizedPnLUSD: 10, unrealizedPnLUSD: -2, totalGasSpentUSD: 3,
                                             sharpeRatio: nil)
            let alert = RiskAlert(timestamp: at, severity: .critical, protocolID: "aave_v3_usdc_eth",
                                  alertType: "peg_deviation", message: "USDC at 0.883")
            for expected in [1, 0] {
                #expect(try store.insert(.protocolMetrics([metric])) == expected)
                #expect(try store.insert(.portfolioSnapshots([snapshot])) == expected)
                #expect(try store.insert(.riskAlerts([alert])) == expected)
            }
            var later = alert
            later.timestamp = Timestamp(seconds: at.seconds + 3_600)
            #expect(try store.insert(.riskAlerts([later])) == 1)
            #expect(try store.count(.riskAlerts) == 2)
            #expect(snapshot.allocationsJSON == #"{"aave_v3_usdc_eth":4500,"reserve":500}"#)
        }
    }

    @Test func reopeningTheStoreKeepsItsRows() throws {
        try withStore { store, directory throws in
            let points = [PricePoint]()
            #expect(try store.insert(.pricePoints(points)) == 0)
            let file = HistoryFile(url: FixturePaths.good.appendingPathComponent("prices/USDC_usd.csv"),
                                   relativePath: "prices/USDC_usd.csv", kind: .prices)
            #expect(try HistoryIngest(store: store).ingest(file).1 == 4)
            let reopened = try SQLiteMarketStore(path: directory.appendingPathComponent("store.sqlite").path)
            #expect(try reopened.count(.pricePoints) == 4)
        }
    }
}
