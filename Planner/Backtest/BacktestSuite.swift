import Foundation
import Allocation
import SigningPolicy

/// Every strategy over one panel under one policy: the planner's `backtest` command's result.
///
/// Every run has the kill-switch guard of `configuration` (the risk engine runs whatever the strategy). A run
/// whose kill switch engaged is run again without the guard (`withoutKillSwitch`), to compare the capital the
/// emergency exit kept against holding through the event.
public struct BacktestSuite: Sendable {
    public struct Entry: Sendable {
        public var run: BacktestRun
        public var withoutKillSwitch: BacktestRun?
    }

    public var from: Timestamp
    public var to: Timestamp
    public var panel: MarketPanel
    public var entries: [Entry]

    public init(strategies: [any AllocationStrategy], panel: MarketPanel, policy: SigningPolicy,
                configuration: SimulatorConfiguration, from: Timestamp, to: Timestamp) {
        self.from = from
        self.to = to
        self.panel = panel
        var unguarded = configuration
        unguarded.killSwitch = nil
        entries = strategies.map { strategy in
            let run = BacktestRunner.run(strategy, panel: panel, policy: policy, configuration: configuration)
            let twin = run.killSwitchEngagements > 0 && configuration.killSwitch != nil
                ? BacktestRunner.run(strategy, panel: panel, policy: policy, configuration: unguarded) : nil
            return Entry(run: run, withoutKillSwitch: twin)
        }
    }

    /// The pinned JSON (DESIGN.md, "planner backtest … --json") with added keys: per strategy the slippage, the
    /// reverted transactions, rejection reasons, kill-switch engagements and exits, final and lowest values (and
    /// the same without the kill switch when it engaged); the markets, step and ETH price source.
    public func jsonObject(notes: [String: Any] = [:]) -> [String: Any] {
        var object: [String: Any] = [
            "from": UTCDateText.day(from), "to": UTCDateText.day(to),
            "step": panel.stepSeconds == 3_600 ? "hour" : "day",
            "markets": panel.markets.map(\.id),
            "strategies": entries.map { entry -> [String: Any] in
                let run = entry.run
                var item: [String: Any] = [
                    "name": run.name, "kind": run.kind.rawValue,
                    "net_apy": run.metrics.netAPY, "cagr": run.metrics.cagr,
                    "sharpe": run.metrics.sharpe as Any? ?? NSNull(),
                    "sortino": run.metrics.sortino as Any? ?? NSNull(),
                    "max_drawdown": run.metrics.maxDrawdown, "gas_usd": run.gasUSD,
                    "max_drawdown_peak_at": run.times[run.metrics.maxDrawdownPeak].rfc3339,
                    "max_drawdown_trough_at": run.times[run.metrics.maxDrawdownTrough].rfc3339,
                    "rebalances": run.rebalances, "turnover": run.turnover,
                    "policy_rejections": run.policyRejections,
                    "rejection_reasons": Dictionary(uniqueKeysWithValues: run.rejectionReasons.map {
                        ($0.key.rawValue, $0.value)
                    }),
                    "slippage_usd": run.slippageUSD, "reverted_transactions": run.revertedTransactions,
                    "kill_switch_engagements": run.killSwitchEngagements,
                    "emergency_exits_approved": run.emergencyExitsApproved,
                    "emergency_exits_rejected": run.emergencyExitsRejected,
                    "final_value_usd": run.finalValueUSD, "lowest_value_usd": run.lowestValueUSD,
                    "events": run.events,
                ]
                if let twin = entry.withoutKillSwitch {
                    item["final_value_usd_without_kill_switch"] = twin.finalValueUSD
                    item["lowest_value_usd_without_kill_switch"] = twin.lowestValueUSD
                    item["max_drawdown_without_kill_switch"] = twin.metrics.maxDrawdown
                }
                return item
            },
        ]
        for (key, value) in notes { object[key] = value }
        return object
    }
}
