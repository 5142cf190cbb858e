import Foundation
import MarketData
import SigningPolicy
import Testing

/// The daily extract: how it is derived, and that the committed one is complete, readable and small.
struct DailyExtractTests {
    @Test func extractKeepsTheLastRowOfEachDayByteForByteInTheSameLayout() throws {
        let out = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let files = try DailyExtract(source: HistoryDirectory(root: FixturePaths.good), output: out).run()
        #expect(files.count == 9)

        let aave = try String(contentsOf: out.appendingPathComponent("aave/aave_v3_usdc_eth.csv"), encoding: .utf8)
        let source = try String(contentsOf: FixturePaths.good.appendingPathComponent("aave/aave_v3_usdc_eth.csv"),
                                encoding: .utf8)
        let sourceLines = source.split(separator: "\n")
        #expect(aave == [sourceLines[0], sourceLines[2], sourceLines[4]].joined(separator: "\n") + "\n")

        var prices: [PricePoint] = []
        _ = try CSVHistoryFile<PricePoint>(url: out.appendingPathComponent("prices/USDC_usd.csv")).read {
            prices.append($0)
        }
        #expect(prices.map(\.milliseconds) == [1_678_489_199_999, 1_678_575_599_000])

        // Daily series, Chainlink and incidents are kept whole, CRLF line endings and comment line included.
        for path in ["gas/AvgGasPrice.csv", "chainlink/usdc_usd_depeg_230312.csv", "incidents/incidents.json"] {
            #expect(try Data(contentsOf: out.appendingPathComponent(path))
                    == Data(contentsOf: FixturePaths.good.appendingPathComponent(path)), "\(path)")
        }
        let rules = Dictionary(uniqueKeysWithValues: files.map { ($0.relativePath, $0.rule) })
        #expect(rules["aave/aave_v3_usdc_eth.csv"] == .lastOfDay && rules["gas/GasUsed.csv"] == .everyRow)
    }

    @Test func extractLeavesMalformedRowsOut() throws {
        let source = try FixturePaths.temporaryDirectory(), out = try FixturePaths.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: source)
            try? FileManager.default.removeItem(at: out)
        }
        try FileManager.default.createDirectory(at: source.appendingPathComponent("aave"),
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: FixturePaths.hostile("aave_v3_usdc_eth.csv"),
                                         to: source.appendingPathComponent("aave/aave_v3_usdc_eth.csv"))
        let files = try DailyExtract(source: HistoryDirectory(root: source), output: out).run()
        #expect(files.first?.read.malformed == 9)
        #expect(files.first?.rowsWritten == 2)
        var read = 0
        let report = try CSVHistoryFile<AaveSnapshot>(url: out.appendingPathComponent("aave/aave_v3_usdc_eth.csv"))
            .read { _ in read += 1 }
        #expect(read == 2 && report.malformed == 0)
    }

    @Test func committedExtractIsAtMostFiveMegabytes() throws {
        var total = 0
        let enumerator = FileManager.default.enumerator(at: FixturePaths.committedExtract,
                                                        includingPropertiesForKeys: [.fileSizeKey])
        while let url = enumerator?.nextObject() as? URL {
            total += try url.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
        }
        #expect(total > 1_000_000) // it is there
        #expect(total <= 5 * 1_024 * 1_024)
    }

    @Test func everyCommittedExtractFileIsReadableNonEmptyAndSpansTheExpectedDays() throws {
        let directory = HistoryDirectory(root: FixturePaths.committedExtract)
        let (files, ignored) = try directory.files()
        #expect(ignored.isEmpty)
        #expect(Set(files.map(\.kind)) == Set(HistoryKind.allCases))
        #expect(files.filter { $0.kind == .aave }.count == 9 && files.filter { $0.kind == .prices }.count == 7)
        var spans: [String: (first: String, last: String, rows: Int)] = [:]
        for file in files {
            var days: [Timestamp] = []
            let report: ReadReport
            switch file.kind {
            case .aave: report = try file.csv(AaveSnapshot.self).read { days.append($0.hour) }
            case .chainlink: report = try file.csv(ChainlinkRound.self).read { days.append($0.updatedAt) }
            case .prices: report = try file.csv(PricePoint.self).read { days.append($0.at) }
            case .uniswap: report = try file.csv(UniswapPoolState.self).read { days.append($0.hour) }
            case .etherscanDaily: report = try file.csv(EtherscanDailyValue.self).read { days.append($0.day) }
            case .compound: report = try file.csv(CompoundMarketDay.self).read { days.append($0.day) }
            case .incidents: report = try file.incidents.read { days.append($0.date) }
            }
            #expect(report.malformed == 0, "\(report.examples)")
            #expect(!days.isEmpty, "\(file.relativePath)")
            if [.aave, .prices, .uniswap].contains(file.kind) {
                let distinct = Set(days.map { UTCDate.startOfDay($0) })
                #expect(distinct.count == days.count, "\(file.relativePath) has one row per day")
            }
            spans[file.relativePath] = (UTCDate.dayString(days.min() ?? Timestamp(seconds: 0)),
                                        UTCDate.dayString(days.max() ?? Timestamp(seconds: 0)), days.count)
        }
        #expect(spans["aave/aave_v3_usdc_eth.csv"]?.first == "2023-01-27")
        #expect(spans["aave/aave_v2_dai_eth.csv"]?.first == "2020-12-01")
        for path in spans.keys where path.hasPrefix("aave/") || path.hasPrefix("uniswap/") || path.hasPrefix("gas/") {
            #expect(spans[path]?.last == "2025-06-30", "\(path)")
        }
        #expect(spans["uniswap/usdc_usdt_1bp_hourly.csv"]?.first == "2022-01-01")
        #expect(spans["prices/USDC_usd.csv"]?.last == "2023-02-25")
        #expect(spans["prices/UST_usd.csv"]?.first == "2021-12-02")
        #expect(spans["chainlink/usdc_usd_depeg_230312.csv"]?.first == "2022-11-20")
        #expect(spans["chainlink/usdc_usd_depeg_230312.csv"]?.last == "2023-03-12")
        #expect(spans["gas/AvgGasPrice.csv"]?.first == "2015-07-30")
        #expect(spans["incidents/incidents.json"]?.rows == 912)
        #expect(spans["aave/aave_v2_usdc_eth.csv"]?.rows ?? 0 > 1_600)
    }

    @Test func theCommittedExtractStillShowsTheUSDCDepeg() throws {
        var lowest = Double.infinity
        let file = FixturePaths.committedExtract.appendingPathComponent("aave/aave_v3_usdc_eth.csv")
        _ = try CSVHistoryFile<AaveSnapshot>(url: file).read { snapshot in
            if UTCDate.dayString(snapshot.hour).hasPrefix("2023-03"), let price = snapshot.impliedPrice {
                lowest = min(lowest, price)
            }
        }
        // Hourly data bottoms at 0.883 on 2023-03-11; the last hour of that day still stands at ≈ 0.956.
        #expect(lowest < 0.96)
    }
}
