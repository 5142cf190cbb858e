import Foundation
import TestSupport
import Testing

/// `planner anomalies` on the committed daily extract, as a script reads it.
struct AnomaliesCommandTests {
    @Test func dailyExtractFlagsTheUSDCDepegWithThePinnedKeys() throws {
        let planner = try #require(BuiltProducts.executable(named: "planner"), "build with --build-tests")
        let data = RiskFixtures.packageRoot.appendingPathComponent("Planner/history").path
        let result = try CommandResult.run(planner, ["anomalies", "--data", data, "--from", "2023-03-01",
                                                     "--to", "2023-03-31", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let alerts = try #require(object["alerts"] as? [[String: Any]])
        for alert in alerts {
            for key in ["at", "market", "detector", "severity", "message"] {
                #expect(alert[key] is String, "missing \(key)")
            }
        }
        let usdc = alerts.filter { ($0["message"] as? String)?.hasPrefix("USDC") == true }
        let days = Set(usdc.compactMap { ($0["at"] as? String)?.prefix(10) }.map(String.init))
        #expect(!days.isDisjoint(with: ["2023-03-10", "2023-03-11", "2023-03-12"]))
        let critical = usdc.filter { $0["detector"] as? String == "peg" && $0["severity"] as? String == "critical" }
        #expect(Set(critical.compactMap { $0["market"] as? String }).isSuperset(of: ["aave_v3_usdc_eth",
                                                                                     "usdc_usd_depeg_230312"]))
    }

    @Test func badDatesFailWithAHint() throws {
        let planner = try #require(BuiltProducts.executable(named: "planner"), "build with --build-tests")
        let result = try CommandResult.run(planner, ["anomalies", "--from", "March", "--to", "2023-03-31"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("hint:"))
    }
}
