import Foundation
import MarketData
import TestSupport
import Testing

/// Malformed, truncated and hostile input: reported with file and line, skipped, never a crash.
struct HostileInputTests {
    @Test func malformedAaveRowsAreReportedWithFileAndLineAndSkipped() throws {
        var hours: [String] = []
        let report = try CSVHistoryFile<AaveSnapshot>(url: FixturePaths.hostile("aave_v3_usdc_eth.csv"), name: "h.csv")
            .read { hours.append($0.hour.rfc3339) }
        #expect(hours == ["2023-03-10T23:00:00Z", "2023-03-11T08:00:00Z"])
        #expect(report.rowsRead == 11) // the blank line is not a row
        #expect(report.malformed == 9 && report.records == 2)
        let byLine = Dictionary(uniqueKeysWithValues: report.examples.map { ($0.line, $0.reason) })
        #expect(report.examples.allSatisfy { $0.file == "h.csv" })
        #expect(Set(byLine.keys) == [3, 4, 5, 6, 7, 8, 9, 11, 13])
        #expect(byLine[3]?.contains("TVL_USD: not a number") == true)
        #expect(byLine[4] == "expected 12 columns, found 5")
        #expect(byLine[5]?.contains("TVL_USD: not a number: \"nan\"") == true)
        #expect(byLine[6] == "invalid UTF-8")
        #expect(byLine[7]?.contains("datetime_utc") == true)
        #expect(byLine[8]?.contains("unterminated quoted field") == true)
        #expect(byLine[9]?.contains("TVL_USD: negative") == true)
        #expect(byLine[11]?.contains("lender_variable_apr: not a number") == true)
        #expect(byLine[13] == "expected 12 columns, found 2") // truncated last line
        #expect(report.examples[0].description == "h.csv:3: TVL_USD: not a number: \"abc\"")
    }

    @Test func priceRowsWithAnotherSymbolOrNonIntegerTimeOrInfinityAreMalformed() throws {
        var count = 0
        let report = try CSVHistoryFile<PricePoint>(url: FixturePaths.hostile("USDC_usd.csv")).read { _ in count += 1 }
        #expect(count == 1)
        #expect(report.examples.map(\.line) == [2, 4, 5])
        #expect(report.examples[0].reason.contains("is not the file's USDC"))
    }

    @Test func aLineLongerThanTheLimitIsOneMalformedRowAndIsNotBuffered() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("USDC_usd.csv")
        var bytes = Array("symbol,timestamp,USD_price\nUSDC,1678435200123,1.0\n".utf8)
        bytes += Array(repeating: UInt8(ascii: "9"), count: 3 << 20) + [UInt8(ascii: "\n")]
        bytes += Array("USDC,1678435200124,1.0".utf8)
        try Data(bytes).write(to: url)
        var count = 0
        let report = try CSVHistoryFile<PricePoint>(url: url, name: "long.csv", maxLineBytes: 1_000)
            .read { _ in count += 1 }
        #expect(count == 2)
        #expect(report.examples == [MalformedRow(file: "long.csv", line: 3, reason: "line longer than 1000 bytes")])
    }

    @Test func anEmptyFileIsAFileErrorNotACrash() {
        #expect(throws: HistoryFileError(.empty, file: "e.csv", line: 0, "the file is empty")) {
            try CSVHistoryFile<AaveSnapshot>(url: FixturePaths.hostile("empty.csv"), name: "e.csv").read { _ in }
        }
    }

    @Test func aFileWithoutItsHeaderIsAFileErrorAtLineOne() {
        do {
            _ = try CSVHistoryFile<AaveSnapshot>(url: FixturePaths.hostile("no_header.csv"), name: "n.csv")
                .read { _ in }
            Issue.record("a file without a header was read")
        } catch let error as HistoryFileError {
            #expect(error.code == .unexpectedHeader && error.file == "n.csv" && error.line == 1)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aMissingFileIsUnreadable() {
        do {
            _ = try CSVHistoryFile<AaveSnapshot>(url: FixturePaths.hostile("absent.csv")).read { _ in }
            Issue.record("a missing file was read")
        } catch let error as HistoryFileError {
            #expect(error.code == .unreadable)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func malformedIncidentEntriesAreReportedByTheLineTheyStartOn() throws {
        var names: [String] = []
        let report = try IncidentFile(url: FixturePaths.hostile("incidents.json"), name: "i.json")
            .read { names.append($0.name) }
        #expect(names == ["Good"])
        #expect(report.rowsRead == 8 && report.malformed == 7)
        #expect(report.examples.map(\.line) == [3, 4, 5, 6, 7, 8, 9])
        #expect(report.examples[0].reason.hasPrefix("date: not YYYYMMDD"))
        #expect(report.examples[1].reason == "not a JSON object")
        #expect(report.examples[2].reason == "Lost: wrong type")
        #expect(report.examples[3].reason == "name: missing")
        #expect(report.examples[4].reason.hasPrefix("Lost: not a loss"))
        #expect(report.examples[5].reason == "Lost: wrong type")
        #expect(report.examples[6].reason == "truncated entry")
    }

    @Test func anIncidentFileThatIsNotAnArrayIsAFileError() {
        do {
            _ = try IncidentFile(url: FixturePaths.hostile("incidents_not_array.json")).read { _ in }
            Issue.record("an object was read as an array")
        } catch let error as HistoryFileError {
            #expect(error.code == .notAnArray && error.line == 1)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func cellsAcceptOnlyPlainFiniteDecimals() throws {
        for bad in ["nan", "NaN", "inf", "-infinity", "0x1p3", " 1", "1 ", "1e", "e5", ".", "+", "1e999", "1,5", ""] {
            #expect(throws: RowError.self, "\(bad)") { try CSVCell.double(bad, "x") }
        }
        #expect(try CSVCell.double("1.5595580006706512e+25", "x") == 1.5595580006706512e+25)
        #expect(try CSVCell.double("-.5", "x") == -0.5)
        #expect(try CSVCell.wholeNumber("11367184.0", "x") == 11_367_184)
        #expect(throws: RowError.self) { try CSVCell.wholeNumber("1.5", "x") }
        #expect(throws: RowError.self) { try CSVCell.integer("99999999999999999999", "x") }
        #expect(throws: RowError.self) { try CSVCell.unsignedDigits("007", "x") }
    }

    @Test func quotedFieldsFollowCSVQuotingAndStrayQuotesAreMalformed() throws {
        #expect(try CSVFields.split(Array(#""a,b","c""d",,e"#.utf8)[...]) == ["a,b", "c\"d", "", "e"])
        #expect(throws: RowError.self) { try CSVFields.split(Array(#"a"b,c"#.utf8)[...]) }
        #expect(throws: RowError.self) { try CSVFields.split(Array(#""ab"c,d"#.utf8)[...]) }
        #expect(throws: RowError.self) { try CSVFields.split(Array(#""abc"#.utf8)[...]) }
    }

    /// Random bytes, random splices of real rows and deep JSON: every reader returns a report or a file error.
    @Test func randomAndSplicedInputNeverCrashesAReader() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let aave = try String(contentsOf: FixturePaths.good.appendingPathComponent("aave/aave_v3_usdc_eth.csv"),
                              encoding: .utf8)
        let incidents = try Data(contentsOf: FixturePaths.good.appendingPathComponent("incidents/incidents.json"))
        var random = SeededRandom(seed: 0x4D44_4154_4131)
        let csvURL = directory.appendingPathComponent("aave_v3_usdc_eth.csv")
        let jsonURL = directory.appendingPathComponent("incidents.json")
        var rowsSeen = 0
        for round in 0..<300 {
            var csv = Array(aave.utf8)
            var json = Array(incidents)
            for _ in 0..<(1 + random.next(upTo: 8)) {
                let at = random.next(upTo: csv.count)
                switch random.next(upTo: 4) {
                case 0: csv[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: csv.insert(contentsOf: random.bytes(random.next(upTo: 40)), at: at)
                case 2: csv.removeSubrange(at..<min(csv.count, at + random.next(upTo: 60)))
                default: csv = Array(csv[..<at])
                }
                if json.isEmpty { break }
                let j = random.next(upTo: json.count)
                if random.chance(50) {
                    json[j] = [UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "}"),
                               UInt8(ascii: "]"), UInt8(ascii: ","), 0xFF][random.next(upTo: 7)]
                } else {
                    json = Array(json[..<j])
                }
                if csv.isEmpty { break }
            }
            if round % 50 == 0 { json = Array("[".utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000) }
            try Data(csv).write(to: csvURL)
            try Data(json).write(to: jsonURL)
            do {
                let report = try CSVHistoryFile<AaveSnapshot>(url: csvURL).read { _ in }
                #expect(report.records + report.malformed == report.rowsRead)
                rowsSeen += report.rowsRead
            } catch is HistoryFileError {}
            do {
                let report = try IncidentFile(url: jsonURL).read { _ in }
                #expect(report.records + report.malformed == report.rowsRead)
            } catch is HistoryFileError {}
        }
        #expect(rowsSeen > 100) // most mutations leave rows to read, not only file errors
    }
}
