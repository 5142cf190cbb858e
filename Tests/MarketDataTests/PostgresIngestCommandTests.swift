import Foundation
import TestSupport
import Testing

/// `planner ingest --store postgres://…` as a script sees it.
struct PostgresIngestCommandTests {
    @Test func plannerIngestIntoPostgresReportsMalformedRowsAndInsertsNothingTheSecondTime() throws {
        guard let planner = BuiltProducts.executable(named: "planner") else {
            Issue.record("the planner executable was not built (swift build --build-tests)")
            return
        }
        let url = try ThrowawayPostgres.shared().makeDatabase()
        let data = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        try FileManager.default.createDirectory(at: data.appendingPathComponent("aave"),
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: FixturePaths.hostile("aave_v3_usdc_eth.csv"),
                                         to: data.appendingPathComponent("aave/aave_v3_usdc_eth.csv"))
        try FileManager.default.copyItem(at: FixturePaths.good.appendingPathComponent("prices"),
                                         to: data.appendingPathComponent("prices"))

        let text = try CommandResult.run(planner, ["ingest", "--data", data.path, "--store", url])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("aave/aave_v3_usdc_eth.csv:3: TVL_USD: not a number"))
        #expect(text.standardOutput.contains("aave/aave_v3_usdc_eth.csv:13: expected 12 columns, found 2"))

        let again = try CommandResult.run(planner, ["ingest", "--data", data.path, "--store", url, "--json"])
        #expect(again.status == 0, "\(again.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(again.standardOutput.utf8))
                                as? [String: Any])
        #expect(json["inserted"] as? Int == 0)
        #expect(json["rows_read"] as? Int == 15)
        #expect(json["malformed"] as? Int == 9)
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.map { $0["already_stored"] as? Int } == [2, 4])
    }

    @Test func plannerIngestIntoAnUnreachablePostgresFailsWithAHint() throws {
        guard let planner = BuiltProducts.executable(named: "planner") else {
            Issue.record("the planner executable was not built (swift build --build-tests)")
            return
        }
        let data = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try CommandResult.run(planner, ["ingest", "--data", data.path, "--store",
                                                     "postgres://postgres:secret@127.0.0.1:1/market"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("error: cannot reach PostgreSQL at 127.0.0.1:1"))
        #expect(result.standardError.contains("hint:"))
        #expect(!result.standardError.contains("secret"))
    }
}
