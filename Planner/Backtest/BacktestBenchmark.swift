import Allocation
import Foundation
import MarketData
import SigningPolicy

/// `planner bench`'s `backtest_market_steps_per_s`: every standard strategy over a year of a history directory
/// under a policy, timed without the loading; market-steps (steps × markets, summed over the strategies) per second.
public struct BacktestBenchmark: Sendable {
    public let directory: HistoryDirectory
    public let policy: SigningPolicy

    public init(directory: HistoryDirectory, policy: SigningPolicy) {
        self.directory = directory
        self.policy = policy
    }

    public func marketStepsPerSecond() throws -> (perSecond: Double, marketSteps: Int, seconds: Double) {
        let panel = try MarketPanelLoader(directory: directory)
            .load(policy: policy, from: nil, to: nil, step: nil).panel
        let clock = ContinuousClock()
        var marketSteps = 0
        let elapsed = clock.measure {
            for strategy in BacktestRunner.standardStrategies() {
                let run = BacktestRunner.run(strategy, panel: panel, policy: policy,
                                             configuration: SimulatorConfiguration(killSwitch: KillSwitchGuard()))
                marketSteps += (run.times.count - 1) * panel.marketCount
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (Double(marketSteps) / max(seconds, 1e-9), marketSteps, seconds)
    }
}
