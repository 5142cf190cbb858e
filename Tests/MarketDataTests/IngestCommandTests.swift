import Foundation
import TestSupport
import Testing

/// `planner ingest` as a script sees it: per-file counts, malformed rows with file and line, idempotence.
struct IngestCommandTests {
    @Test func plannerIngestReportsMalformedRowsByFileAndLineAndInsertsNothingTheSecondTime() throws {
        let data = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        try Self.ingestTwiceReportingMalformedRows(store: data.appendingPathComponent("store.sqlite").path)
    }

    /// Runs `planner ingest` twice on hostile Aave rows plus good prices into `store` (a SQLite file or a
    /// PostgreSQL URL): malformed rows are reported by file and line, and the second run inserts nothing.
    static func ingestTwiceReportingMalformedRows(store: String) throws {
        let planner = try #require(BuiltProducts.executable(named: "planner"),
                                   "the planner executable was not built (swift build --build-tests)")
        let data = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createDirectory(at: data.appendingPathComponent("aave"),
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: FixturePaths.hostile("aave_v3_usdc_eth.csv"),
                                         to: data.appendingPathComponent("aave/aave_v3_usdc_eth.csv"))
        try FileManager.default.copyItem(at: FixturePaths.good.appendingPathComponent("prices"),
                                         to: data.appendingPathComponent("prices"))

        let text = try CommandResult.run(planner, ["ingest", "--data", data.path, "--store", store])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("aave/aave_v3_usdc_eth.csv:3: TVL_USD: not a number"))
        #expect(text.standardOutput.contains("aave/aave_v3_usdc_eth.csv:13: expected 12 columns, found 2"))

        let again = try CommandResult.run(planner, ["ingest", "--data", data.path, "--store", store, "--json"])
        #expect(again.status == 0, "\(again.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(again.standardOutput.utf8))
                                as? [String: Any])
        #expect(json["inserted"] as? Int == 0)
        #expect(json["rows_read"] as? Int == 15)
        #expect(json["malformed"] as? Int == 9)
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.map { $0["already_stored"] as? Int } == [2, 4])
        let examples = try #require(files.first?["malformed_examples"] as? [[String: Any]])
        #expect(examples.first?["line"] as? Int == 3)
    }

    @Test func plannerIngestOnAMissingDirectoryFailsWithAHint() throws {
        guard let planner = BuiltProducts.executable(named: "planner") else {
            Issue.record("the planner executable was not built (swift build --build-tests)")
            return
        }
        let scratch = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try CommandResult.run(planner, ["ingest", "--data", scratch.appendingPathComponent("none").path,
                                                     "--store", scratch.appendingPathComponent("s.sqlite").path])
        #expect(result.status == 1)
        #expect(result.standardError.contains("error:") && result.standardError.contains("hint:"))
    }
}
