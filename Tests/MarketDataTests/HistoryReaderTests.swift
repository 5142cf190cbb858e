import Foundation
import MarketData
import SigningPolicy
import Testing

/// Each reader on a small well-formed file in the layout of ../shared/data.
struct HistoryReaderTests {
    private func records<R: CSVRecord>(_ type: R.Type, _ path: String) throws -> ([R], ReadReport) {
        var out: [R] = []
        let report = try CSVHistoryFile<R>(url: FixturePaths.good.appendingPathComponent(path), name: path)
            .read { out.append($0) }
        return (out, report)
    }

    @Test func aaveReaderReadsPercentAPRsAndLeavesLaunchRatesEmpty() throws {
        let (rows, report) = try records(AaveSnapshot.self, "aave/aave_v3_usdc_eth.csv")
        #expect(report.rowsRead == 4 && report.malformed == 0)
        #expect(rows.map(\.market) == Array(repeating: "aave_v3_usdc_eth", count: 4))
        #expect(rows[0].hour == Timestamp(rfc3339: "2023-03-10T08:00:00Z"))
        #expect(rows[0].lenderVariableAPR == nil && rows[0].utilization == nil && rows[0].impliedPrice == nil)
        #expect(rows[1].lenderVariableAPR == 3.0 && rows[1].lenderStableAPR == nil)
        #expect(rows[1].updatedAt.seconds == 1_678_489_199) // `1678489199.5`: whole seconds
        #expect(rows[1].utilization == 0.8)
        #expect(rows[2].liquidationsUSD == 1250.5)
    }

    @Test func aaveImpliedPriceDividesTVLByTheBalanceInWholeTokens() throws {
        let (rows, _) = try records(AaveSnapshot.self, "aave/aave_v3_usdc_eth.csv")
        #expect(rows[2].tokenDecimals == 6)
        #expect(abs((rows[2].impliedPrice ?? 0) - 0.883) < 1e-12)
    }

    @Test func supplyAPYCompoundsThePercentAPRPerSecond() {
        #expect(AaveSnapshot.apy(fromPercentAPR: 0) == 0)
        #expect(abs(AaveSnapshot.apy(fromPercentAPR: 5) - (exp(0.05) - 1)) < 1e-8)
        #expect(AaveSnapshot.apy(fromPercentAPR: 5) > 0.05)
    }

    @Test func chainlinkReaderSkipsTheLeadingCommentAndKeepsRoundIDsWiderThan64Bits() throws {
        let (rows, report) = try records(ChainlinkRound.self, "chainlink/usdc_usd_depeg_230312.csv")
        #expect(report.rowsRead == 2 && report.malformed == 0)
        #expect(rows[0].roundID == "36893488147419103978")
        #expect(rows[1].price == 0.9543403)
        #expect(rows[1].updatedAt == Timestamp(rfc3339: "2023-03-12T08:49:47Z"))
    }

    @Test func pricesReaderTakesTheSymbolFromTheFileStemAndMillisecondTimes() throws {
        let (rows, report) = try records(PricePoint.self, "prices/USDC_usd.csv")
        #expect(report.rowsRead == 4 && report.malformed == 0) // the last line has no newline
        #expect(rows.allSatisfy { $0.symbol == "USDC" })
        #expect(rows[0].milliseconds == 1_678_435_200_123 && rows[0].at.seconds == 1_678_435_200)
        #expect(rows[3].usd == 0.97)
    }

    @Test func uniswapPriceIsOnePointZeroZeroZeroOneToTheTick() throws {
        let (rows, report) = try records(UniswapPoolState.self, "uniswap/usdc_usdt_1bp_hourly.csv")
        #expect(report.malformed == 0 && rows.count == 2)
        #expect(abs(rows[0].price - pow(1.0001, -1243)) < 1e-12)
        #expect(rows[0].price < 0.89 && rows[0].price > 0.88)
        #expect(rows[1].price == 1)
        #expect(rows[1].liquidity == "340282366920938463463374607431768211455") // a full uint128, kept exactly
    }

    @Test func etherscanReaderReadsQuotedCRLFRowsWithEitherValueHeader() throws {
        let (prices, report) = try records(EtherscanDailyValue.self, "gas/AvgGasPrice.csv")
        #expect(report.rowsRead == 2 && report.malformed == 0)
        #expect(prices[1].day == Timestamp(rfc3339: "2023-03-11T00:00:00Z") && prices[1].value == 45e9)
        let (used, _) = try records(EtherscanDailyValue.self, "gas/GasUsed.csv")
        #expect(used.map(\.series) == ["GasUsed", "GasUsed"])
    }

    @Test func gasDaysJoinThePriceWithGasUsedAndLimitByDay() throws {
        var values: [EtherscanDailyValue] = []
        for name in ["AvgGasPrice", "GasUsed", "GasLimit"] {
            values += try records(EtherscanDailyValue.self, "gas/\(name).csv").0
        }
        let days = GasDay.join(values)
        #expect(days.count == 2)
        #expect(days[0] == GasDay(day: Timestamp(seconds: 1_678_406_400), averageGasPriceWei: 30e9,
                                  gasUsed: 108e9, gasLimit: 30e6))
        #expect(days[1].gasLimit == nil && days[1].gasUsed == 109e9)
    }

    @Test func compoundReaderReadsDailyTotals() throws {
        let (rows, report) = try records(CompoundMarketDay.self, "compound/compound_USDC.csv")
        #expect(report.malformed == 0 && rows.count == 2)
        #expect(rows[1].symbol == "USDC" && rows[1].day == Timestamp(rfc3339: "2021-01-02T00:00:00Z"))
        #expect(rows[1].totalBorrow == 655_470_475.556754)
    }

    @Test func incidentReaderKeepsVerbatimDuplicatesAsSeparateOccurrences() throws {
        var incidents: [Incident] = []
        let report = try IncidentFile(url: FixturePaths.good.appendingPathComponent("incidents/incidents.json"))
            .read { incidents.append($0) }
        #expect(report.rowsRead == 4 && report.malformed == 0)
        #expect(incidents.map(\.occurrence) == [1, 1, 2, 1])
        #expect(incidents[1].contentKey == incidents[2].contentKey)
        #expect(incidents[0].lost == 197_000_000 && incidents[0].date == Timestamp(rfc3339: "2023-03-13T00:00:00Z"))
        #expect(incidents[3].lost == nil && incidents[3].chain == "")
    }

    @Test func directoryListsEveryFileOfTheLayoutWithItsKind() throws {
        let (files, ignored) = try HistoryDirectory(root: FixturePaths.good).files()
        #expect(ignored.isEmpty)
        #expect(files.map(\.relativePath) == [
            "aave/aave_v3_usdc_eth.csv", "chainlink/usdc_usd_depeg_230312.csv", "compound/compound_USDC.csv",
            "gas/AvgGasPrice.csv", "gas/GasLimit.csv", "gas/GasUsed.csv", "incidents/incidents.json",
            "prices/USDC_usd.csv", "uniswap/usdc_usdt_1bp_hourly.csv",
        ])
        #expect(files.map(\.kind) == [.aave, .chainlink, .compound, .etherscanDaily, .etherscanDaily,
                                      .etherscanDaily, .incidents, .prices, .uniswap])
        #expect(HistoryKind(relativePath: "compound/etherscan_ether_price.csv") == .etherscanDaily)
        #expect(HistoryKind(relativePath: "prices/readme.txt") == nil)
    }

    @Test func datesParseOnlyTheirOwnSpellingAndOnlyRealDays() {
        #expect(UTCDate.parseDateTime("2022-01-01 00:00:00+00:00") == Timestamp(rfc3339: "2022-01-01T00:00:00Z"))
        #expect(UTCDate.parseDateTime("2024-02-29 23:59:59") == Timestamp(rfc3339: "2024-02-29T23:59:59Z"))
        #expect(UTCDate.parseDateTime("2023-02-29 00:00:00") == nil)
        #expect(UTCDate.parseDateTime("2022-01-01 00:00:00+01:00") == nil)
        #expect(UTCDate.parseDateTime("2022-01-01T00:00:00") == nil)
        #expect(UTCDate.parseDateTime("2022-01-01 24:00:00") == nil)
        #expect(UTCDate.parseUSDate("7/30/2015") == Timestamp(seconds: 1_438_214_400))
        #expect(UTCDate.parseUSDate("13/1/2015") == nil)
        #expect(UTCDate.parseCompactDate("20260807") == Timestamp(rfc3339: "2026-08-07T00:00:00Z"))
        #expect(UTCDate.parseCompactDate("2026087") == nil)
        #expect(UTCDate.parseISODate("2021-01-02") == Timestamp(rfc3339: "2021-01-02T00:00:00Z"))
    }
}
