import Foundation
import TestSupport
import Testing

/// `planner ingest --store postgres://…` as a script sees it.
struct PostgresIngestCommandTests {
    @Test func plannerIngestIntoPostgresReportsMalformedRowsAndInsertsNothingTheSecondTime() throws {
        try IngestCommandTests.ingestTwiceReportingMalformedRows(store: try ThrowawayPostgres.shared().makeDatabase())
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
