import Allocation
import SigningPolicy

/// Runs a strategy through a `MarketSimulator` over a whole panel and collects a `BacktestRun`.
public enum BacktestRunner {
    public static func run<S: AllocationStrategy>(_ strategy: S, panel: MarketPanel, policy: SigningPolicy,
                                                  configuration: SimulatorConfiguration) -> BacktestRun {
        var strategy = strategy
        var simulator = MarketSimulator(panel: panel, policy: policy, configuration: configuration)
        var times = [simulator.now]
        var equity = [simulator.valueUSD]
        var weights = [simulator.currentWeights]
        var events: [String] = []
        while !simulator.isFinished {
            let decision = strategy.decide(simulator.context)
            let outcome = simulator.advance(decision)
            times.append(simulator.now)
            equity.append(outcome.valueAfterUSD)
            weights.append(outcome.weights)
            if let event = outcome.event {
                let exit = outcome.proposalKind == .emergencyExit
                    ? (outcome.approved ? "; emergency_exit approved" + (outcome.reverted ? " but reverted" : "")
                        : "; emergency_exit rejected: " + outcome.reasons.map(\.rawValue).joined(separator: ", "))
                    : ""
                events.append(event + exit)
            }
        }
        return BacktestRun(
            name: strategy.name, kind: strategy.kind, times: times, equity: equity, weights: weights,
            gasUSD: simulator.gasSpentUSD, slippageUSD: simulator.slippageSpentUSD,
            rebalances: simulator.executedRebalances, turnover: simulator.turnoverFraction,
            policyRejections: simulator.gate.rejections, rejectionReasons: simulator.gate.reasonCounts,
            revertedTransactions: simulator.revertedTransactions,
            killSwitchEngagements: simulator.killSwitchEngagements,
            emergencyExitsApproved: simulator.emergencyExitsApproved,
            emergencyExitsRejected: simulator.emergencyExitsRejected,
            events: events, metrics: PerformanceMetrics(times: times, equity: equity))
    }

    /// The planner's strategies and the baselines, in report order.
    public static func standardStrategies() -> [any AllocationStrategy] {
        [
            YieldOptimizer(),
            AllReserveStrategy(), EqualWeightStrategy(), BuyAndHoldBestStrategy(),
            RankedYieldStrategy(score: .trailing), RankedYieldStrategy(score: .forecast),
        ]
    }
}
