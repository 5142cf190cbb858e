import Allocation
import Backtest
import Learning
import Reinforcement
import Testing

/// Whatever the agent outputs, what reaches the policy is a valid allocation, and the mapping's hold checks keep
/// the agent from proposing what the policy would reject.
@Suite struct AllocationActionMappingTests {
    @Test func everyActionProjectsToAPolicyValidAllocation() throws {
        let panel = try ReinforcementFixtures.history("2023-01-01", "2023-06-30")
        let simulator = MarketSimulator(panel: panel, policy: try ReinforcementFixtures.policy())
        let mapping = AllocationActionMapping()
        var generator = SeededGenerator(seed: 21)
        let context = simulator.context
        let n = panel.marketCount
        let enabled = (0..<n).map { $0 % 2 == 0 || $0 == 1 }
        for _ in 0..<2_000 {
            let target = mapping.target(ReinforcementFixtures.randomAction(n + 1, &generator), context: context,
                                        enabled: enabled)
            #expect(context.constraints.violations(target).isEmpty, "\(target)")
            #expect(target.bps.allSatisfy { $0 % 500 == 0 && $0 <= 5_000 })
            #expect(target.reserveBps >= 500)
            for m in target.heldMarkets {
                #expect(enabled[m] && context.isAvailable(m))
            }
            #expect(target.turnoverBps(from: context.lastApproved) <= context.constraints.maxTurnoverBps)
        }
    }

    @Test func extremeActionsStillGiveValidAllocations() throws {
        let panel = try ReinforcementFixtures.history("2024-01-01", "2024-03-31")
        let context = MarketSimulator(panel: panel, policy: try ReinforcementFixtures.policy()).context
        let n = panel.marketCount
        let enabled = Array(repeating: true, count: n)
        for action in [Array(repeating: 1.0, count: n + 1), Array(repeating: -1.0, count: n + 1),
                       [1.0] + Array(repeating: -1.0, count: n), Array(repeating: .nan, count: n + 1),
                       Array(repeating: -1.0, count: n) + [1.0]] {
            let target = AllocationActionMapping().target(action, context: context, enabled: enabled)
            #expect(context.constraints.violations(target).isEmpty, "\(action) → \(target)")
        }
    }

    @Test func randomAgentIsNeverRejectedByThePolicy() throws {
        let panel = try ReinforcementFixtures.history("2023-02-01", "2023-05-31")
        var simulator = MarketSimulator(panel: panel, policy: try ReinforcementFixtures.policy(),
                                        configuration: SimulatorConfiguration(killSwitch: KillSwitchGuard()))
        let mapping = AllocationActionMapping()
        var generator = SeededGenerator(seed: 22)
        let enabled = Array(repeating: true, count: panel.marketCount)
        var proposals = 0
        while !simulator.isFinished {
            let decision = mapping.decision(ReinforcementFixtures.randomAction(panel.marketCount + 1, &generator),
                                            context: simulator.context, enabled: enabled)
            if case .rebalance = decision { proposals += 1 }
            _ = simulator.advance(decision)
        }
        #expect(proposals > 0)
        #expect(simulator.executedRebalances > 0)
        #expect(simulator.gate.rejections == 0)
    }

    @Test func holdsWhileTheKillSwitchIsEngaged() throws {
        // March 2023: USDC's de-peg engages the kill switch; no rebalance is proposed while it is engaged.
        let panel = try ReinforcementFixtures.history("2023-03-01", "2023-03-31")
        var simulator = MarketSimulator(panel: panel, policy: try ReinforcementFixtures.policy(),
                                        configuration: SimulatorConfiguration(killSwitch: KillSwitchGuard()))
        let mapping = AllocationActionMapping()
        let enabled = Array(repeating: true, count: panel.marketCount)
        var engagedSteps = 0
        while !simulator.isFinished {
            let context = simulator.context
            let decision = mapping.decision(Array(repeating: 1, count: panel.marketCount + 1), context: context,
                                            enabled: enabled)
            if context.killSwitchEngaged {
                engagedSteps += 1
                #expect(decision == .hold)
            }
            _ = simulator.advance(decision)
        }
        #expect(engagedSteps > 0)
    }
}
