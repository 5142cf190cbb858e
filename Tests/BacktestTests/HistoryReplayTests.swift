import Allocation
import Backtest
import Foundation
import MarketData
import SigningPolicy
import Testing

/// Backtests over the committed daily extract (`Planner/history`): the March 2023 USDC de-peg and a full year.
struct HistoryReplayTests {
    static let directory = HistoryDirectory(
        root: BacktestFixtures.packageRoot.appendingPathComponent("Planner/history"))

    static func load(_ from: String, _ to: String) throws -> MarketPanel {
        try MarketPanelLoader(directory: directory).load(
            policy: try BacktestFixtures.policy(), from: UTCDate.parseISODate(from), to: UTCDate.parseISODate(to),
            step: nil).panel
    }

    @Test func march2023DepegEngagesTheKillSwitchAndTheExitIsApproved() throws {
        let panel = try Self.load("2023-03-01", "2023-03-31")
        #expect(panel.stepSeconds == 86_400)
        let usdc = try #require(panel.markets.firstIndex { $0.id == "aave_v3_usdc_eth" })
        #expect(panel.quote(step: 11, market: usdc).price < 0.98)  // 2023-03-12 00:00: the 2023-03-11 23:00 row
        let run = BacktestRunner.run(EqualWeightStrategy(), panel: panel, policy: try BacktestFixtures.policy(),
                                     configuration: SimulatorConfiguration(killSwitch: KillSwitchGuard()))
        #expect(run.killSwitchEngagements >= 1)
        #expect(run.emergencyExitsApproved == run.killSwitchEngagements)
        #expect(run.emergencyExitsRejected == 0)
        let engaged = try #require(run.events.first)
        #expect(engaged.contains("2023-03-1"), "\(engaged)")
        #expect(engaged.contains("emergency_exit approved"))
        // After the exit, everything but the reserve sits in the safe haven (Aave V3 USDT).
        let haven = try #require(panel.markets.firstIndex { $0.id == "aave_v3_usdt_eth" })
        let afterExit = try #require(run.weights.indices.first { run.weights[$0].bps[haven] >= 9_000 })
        #expect(run.weights[afterExit].heldMarkets == [haven])
    }

    @Test func yearOnTheDailyExtractRunsEveryStrategyWithinPolicy() throws {
        let panel = try Self.load("2024-07-01", "2025-06-30")
        #expect(panel.markets.count == 7)
        let suite = BacktestSuite(strategies: BacktestRunner.standardStrategies(), panel: panel,
                                  policy: try BacktestFixtures.policy(),
                                  configuration: SimulatorConfiguration(killSwitch: KillSwitchGuard()),
                                  from: panel.times[0], to: panel.times[panel.stepCount - 2])
        let constraints = AllocationConstraints(policy: try BacktestFixtures.policy(), markets: panel.markets)
        for entry in suite.entries {
            let run = entry.run
            #expect(run.equity.count == panel.stepCount)
            #expect(run.name == "all_reserve" || run.gasUSD > 0, "\(run.name) charged no gas")
            // Every allocation the policy approved had the policy's shape; holdings only drift from it.
            for weights in run.weights where weights.totalBps == 10_000 {
                #expect(weights.heldMarkets.count <= constraints.maxTargets)
            }
        }
        let object = suite.jsonObject()
        let strategies = try #require(object["strategies"] as? [[String: Any]])
        #expect(strategies.count == 6)
        for item in strategies {
            for key in ["name", "kind", "net_apy", "cagr", "sharpe", "sortino", "max_drawdown", "gas_usd",
                        "rebalances", "turnover", "policy_rejections"] {
                #expect(item[key] != nil, "missing \(key)")
            }
        }
        #expect(JSONSerialization.isValidJSONObject(object))
    }
}
