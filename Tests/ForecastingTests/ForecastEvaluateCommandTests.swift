import Foundation
import TestSupport
import Testing

/// `planner forecast evaluate` as a script sees it, on a short period of the committed extract.
struct ForecastEvaluateCommandTests {
    static var history: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Planner/history").path
    }

    @Test func evaluatePrintsThePinnedKeysForAllFiveModels() throws {
        guard let planner = BuiltProducts.executable(named: "planner") else {
            Issue.record("the planner executable was not built (swift build --build-tests)")
            return
        }
        let result = try CommandResult.run(planner, [
            "forecast", "evaluate", "--data", Self.history, "--from", "2025-05-01", "--to", "2025-05-20", "--json",
            "--xgb-rounds", "20", "--lstm-epochs", "1", "--lstm-hidden", "4", "--lstm-window", "5",
            "--lstm-max-samples", "64",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
                                as? [String: Any])
        #expect(json["from"] as? String == "2025-05-01" && json["to"] as? String == "2025-05-20")
        #expect(json["horizon_days"] as? Int == 7)
        let models = try #require(json["models"] as? [[String: Any]])
        #expect(models.compactMap { $0["model"] as? String } == ["persistence", "ewma", "rate_curve", "xgboost", "lstm"])
        for model in models {
            let overall = try #require(model["overall"] as? [String: Any])
            for key in ["mae_bps", "rmse_bps", "mape", "directional_accuracy"] { #expect(overall[key] is Double) }
            #expect(overall["n"] as? Int ?? 0 > 100)
            let markets = try #require(model["markets"] as? [[String: Any]])
            #expect(markets.count >= 6)
            #expect(markets.contains { $0["market"] as? String == "aave_v3_usdc_eth" })
        }
    }

    @Test func evaluateOnAMissingDirectoryFailsWithAHint() throws {
        guard let planner = BuiltProducts.executable(named: "planner") else {
            Issue.record("the planner executable was not built (swift build --build-tests)")
            return
        }
        let result = try CommandResult.run(planner, ["forecast", "evaluate", "--data", "/nonexistent", "--json"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("error:") && result.standardError.contains("hint:"))
    }
}
