import Allocation
import Backtest
import Foundation
import SigningPolicy
import Testing

/// The simulator charges gas and slippage, accrues APY, applies de-pegs, and lets the policy decide every move.
struct MarketSimulatorTests {
    let flat: (Int, Int) -> MarketQuote = { _, _ in
        MarketQuote(supplyAPY: 0, price: 1, tvlUSD: 1e9, availableLiquidityUSD: 2e8, utilization: 0.8,
                    isAvailable: true)
    }

    @Test func gasAndSlippageAreChargedOnAnApprovedRebalance() throws {
        let panel = BacktestFixtures.panel(days: 3, quote: flat)
        var simulator = MarketSimulator(panel: panel, policy: try BacktestFixtures.policy())
        let outcome = simulator.advance(.rebalance(TargetWeights(bps: [5_000, 0], reserveBps: 5_000),
                                                   expectedAPYGainBps: 300))
        #expect(outcome.approved)
        // (150,000 + 60,000 × 1 adapter) gas × 10 gwei × $2,000.
        #expect(abs(outcome.gasUSD - 4.2) < 1e-9)
        // $500,000 deposited through the $50M swap depth: 1 bp + 0.005 × 0.01 = 1.5 bp.
        #expect(abs(outcome.slippageUSD - 75) < 1e-6)
        #expect(abs(outcome.valueAfterUSD - (1_000_000 - 75 - 4.2)) < 1e-6)
        #expect(outcome.turnoverBps == 5_000)
        #expect(simulator.currentWeights.bps == [5_000, 0])
    }

    @Test func rejectedProposalMovesNothingAndCostsNothing() throws {
        let panel = BacktestFixtures.panel(days: 3, quote: flat)
        var simulator = MarketSimulator(panel: panel, policy: try BacktestFixtures.policy())
        // Claimed gain below gas + the policy's 50 bps edge: EDGE_BELOW_MIN.
        let outcome = simulator.advance(.rebalance(TargetWeights(bps: [5_000, 0], reserveBps: 5_000),
                                                   expectedAPYGainBps: 20))
        #expect(!outcome.approved)
        #expect(outcome.reasons == [.edgeBelowMin])
        #expect(outcome.gasUSD == 0 && outcome.valueAfterUSD == 1_000_000)
        #expect(simulator.gate.rejections == 1 && simulator.executedRebalances == 0)
    }

    @Test func strategyThatRebalancesEveryHourIsHeldToTheCooldown() throws {
        let panel = BacktestFixtures.panel(days: 2, stepSeconds: 3_600, quote: flat)
        let run = BacktestRunner.run(FlipFlopStrategy(), panel: panel, policy: try BacktestFixtures.policy(),
                                     configuration: SimulatorConfiguration())
        #expect(run.policyRejections > 0)
        #expect(run.rejectionReasons[.cooldownActive, default: 0] > 0)
        // 48 hourly proposals; with a 6 h cooldown at most one in six can pass.
        #expect(run.rebalances <= 48 / 6 + 1)
        #expect(run.rebalances + run.policyRejections == 48)
        // Between approvals nothing moves: with no yield the value changes only on approved steps.
        var simulator = MarketSimulator(panel: panel, policy: try BacktestFixtures.policy())
        var strategy = FlipFlopStrategy()
        while !simulator.isFinished {
            let outcome = simulator.advance(strategy.decide(simulator.context))
            if !outcome.approved { #expect(outcome.valueAfterUSD == outcome.valueBeforeUSD) }
        }
    }

    @Test func holdingsAccrueTheirAPY() throws {
        let panel = BacktestFixtures.panel(days: 365) { _, m in
            MarketQuote(supplyAPY: m == 0 ? 0.10 : 0, price: 1, tvlUSD: 1e9, availableLiquidityUSD: 2e8,
                        utilization: 0.8, isAvailable: true)
        }
        let run = BacktestRunner.run(FixedTargetStrategy(target: TargetWeights(bps: [5_000, 0], reserveBps: 5_000)),
                                     panel: panel, policy: try BacktestFixtures.policy(),
                                     configuration: SimulatorConfiguration())
        // Half is deposited; the costs come out of the reserve.
        let reserve = 500_000 - 75 - 4.2
        #expect(abs(run.finalValueUSD - (500_000 * 1.1 + reserve)) < 1e-3)
        #expect(run.rebalances == 1)
    }

    @Test func aDepegMovesTheHoldingsInThatCoin() throws {
        let panel = BacktestFixtures.panel(days: 10) { t, m in
            MarketQuote(supplyAPY: 0, price: m == 0 && t >= 5 ? 0.9 : 1, tvlUSD: 1e9, availableLiquidityUSD: 2e8,
                        utilization: 0.8, isAvailable: true)
        }
        let run = BacktestRunner.run(FixedTargetStrategy(target: TargetWeights(bps: [5_000, 0], reserveBps: 5_000)),
                                     panel: panel, policy: try BacktestFixtures.policy(),
                                     configuration: SimulatorConfiguration())
        let reserve = 500_000 - 75 - 4.2
        #expect(abs(run.equity[4] - (500_000 + reserve)) < 1e-6)
        #expect(abs(run.equity[5] - (500_000 * 0.9 + reserve)) < 1e-6)
    }

    @Test func killSwitchExitsToTheSafeHavenOnADepeg() throws {
        // Market 0 (USDC) falls to 0.97 on day 5; the policy's safe haven is Aave V3 USDT (market 1).
        let panel = BacktestFixtures.panel(days: 10) { t, m in
            MarketQuote(supplyAPY: 0, price: m == 0 && t >= 5 ? (t == 5 ? 0.97 : 0.9) : 1, tvlUSD: 1e9,
                        availableLiquidityUSD: 2e8, utilization: 0.8, isAvailable: true)
        }
        let policy = try BacktestFixtures.policy()
        let strategy = FixedTargetStrategy(target: TargetWeights(bps: [5_000, 0], reserveBps: 5_000))
        let guarded = BacktestRunner.run(strategy, panel: panel, policy: policy,
                                         configuration: SimulatorConfiguration(killSwitch: KillSwitchGuard()))
        #expect(guarded.killSwitchEngagements == 1)
        #expect(guarded.emergencyExitsApproved == 1)
        // Everything but the reserve (kept as it was) moved to the haven.
        #expect(guarded.weights[6].bps[0] == 0 && guarded.weights[6].bps[1] > 4_500)
        #expect(guarded.weights[6].bps[1] + guarded.weights[6].reserveBps == 10_000)
        #expect(guarded.events.first?.contains("emergency_exit approved") == true)
        let holding = BacktestRunner.run(strategy, panel: panel, policy: policy,
                                         configuration: SimulatorConfiguration())
        #expect(holding.killSwitchEngagements == 0)
        #expect(guarded.finalValueUSD > holding.finalValueUSD)
        // While engaged, the strategy's rebalances are refused by the policy.
        #expect(guarded.rejectionReasons[.killSwitchEngaged, default: 0] > 0)
    }
}
