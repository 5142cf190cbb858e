import Foundation
import TestSupport
import Testing

/// `planner backtest` as a script runs it: the pinned JSON keys, and clear errors for bad arguments.
struct BacktestCommandTests {
    static let history = BacktestFixtures.packageRoot.appendingPathComponent("Planner/history").path
    static let policy = BacktestFixtures.packageRoot.appendingPathComponent("policy/backtest.toml").path

    func planner() throws -> URL {
        try #require(BuiltProducts.executable(named: "planner"), "build with --build-tests")
    }

    @Test func jsonHasThePinnedKeysForEveryStrategy() throws {
        let result = try CommandResult.run(try planner(), [
            "backtest", "--data", Self.history, "--policy", Self.policy, "--from", "2023-03-01", "--to",
            "2023-03-31", "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["from"] as? String == "2023-03-01")
        #expect(object["to"] as? String == "2023-03-31")
        let strategies = try #require(object["strategies"] as? [[String: Any]])
        #expect(Set(strategies.compactMap { $0["name"] as? String }).isSuperset(of: [
            "optimizer", "all_reserve", "equal_weight", "buy_and_hold_best", "highest_trailing_apy",
            "highest_forecast",
        ]))
        for item in strategies {
            #expect(["strategy", "baseline"].contains(item["kind"] as? String))
            for key in ["net_apy", "cagr", "max_drawdown", "gas_usd", "turnover"] {
                #expect(item[key] as? Double != nil)
            }
            for key in ["rebalances", "policy_rejections"] { #expect(item[key] as? Int != nil) }
            #expect(item["sharpe"] as? Double != nil || item["sharpe"] is NSNull)
            #expect(item["sortino"] as? Double != nil || item["sortino"] is NSNull)
        }
    }

    @Test(arguments: [
        (["--from", "2023-13-01"], "--from"),
        (["--from", "2023-03-31", "--to", "2023-03-01"], "after"),
        (["--data", "/nonexistent/data"], "no history directory"),
        (["--policy", "/nonexistent/policy.toml"], "cannot read the policy"),
        (["--from", "1999-01-01", "--to", "1999-12-31"], "not the period"),
    ])
    func badArgumentsFailWithAHint(extra: [String], message: String) throws {
        var arguments = ["backtest", "--data", Self.history, "--policy", Self.policy]
        arguments += extra
        let result = try CommandResult.run(try planner(), arguments)
        #expect(result.status != 0)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardError.contains("hint:"))
    }

    @Test func helpExplainsTheMetricsAndThePolicy() throws {
        let result = try CommandResult.run(try planner(), ["backtest", "--help"])
        #expect(result.status == 0)
        for word in ["net_apy", "sharpe", "max_drawdown", "policy_rejections", "--report", "kill switch", "gas"] {
            #expect(result.standardOutput.contains(word), "help lacks \(word)")
        }
    }
}
