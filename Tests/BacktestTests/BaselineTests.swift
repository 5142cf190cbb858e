import Allocation
import Backtest
import Foundation
import SigningPolicy
import Testing

/// The baselines do what their names say.
struct BaselineTests {
    @Test func allReserveNeverMoves() throws {
        let run = BacktestRunner.run(AllReserveStrategy(), panel: BacktestFixtures.panel(),
                                     policy: try BacktestFixtures.policy(), configuration: SimulatorConfiguration())
        #expect(run.rebalances == 0 && run.policyRejections == 0 && run.gasUSD == 0)
        #expect(run.equity.allSatisfy { $0 == 1_000_000 })
    }

    @Test func equalWeightHoldsEveryMarketEqually() throws {
        let run = BacktestRunner.run(EqualWeightStrategy(), panel: BacktestFixtures.panel(),
                                     policy: try BacktestFixtures.policy(), configuration: SimulatorConfiguration())
        let last = try #require(run.weights.last)
        #expect(abs(last.bps[0] - last.bps[1]) <= 600)
        #expect(last.reserveBps <= 600)
        // From all reserve the 50 % turnover cap needs two proposals.
        #expect(run.rebalances == 2)
        #expect(run.policyRejections == 0)
    }

    @Test func buyAndHoldBestHoldsTheHigherYieldingMarketAtItsCap() throws {
        let run = BacktestRunner.run(BuyAndHoldBestStrategy(), panel: BacktestFixtures.panel(),
                                     policy: try BacktestFixtures.policy(), configuration: SimulatorConfiguration())
        let last = try #require(run.weights.last)
        #expect(last.bps[0] >= 4_990 && last.bps[1] == 0)
        #expect(run.rebalances == 1)
    }

    @Test func trailingAPYSwitchesWhenTheOtherMarketPullsAhead() throws {
        // Market 0 yields more for 15 days, then market 1 by 3 points.
        let panel = BacktestFixtures.panel(days: 40) { t, m in
            let apy = t < 15 ? (m == 0 ? 0.06 : 0.03) : (m == 0 ? 0.03 : 0.06)
            return MarketQuote(supplyAPY: apy, price: 1, tvlUSD: 1e9, availableLiquidityUSD: 2e8, utilization: 0.8,
                               isAvailable: true)
        }
        let run = BacktestRunner.run(RankedYieldStrategy(score: .trailing), panel: panel,
                                     policy: try BacktestFixtures.policy(), configuration: SimulatorConfiguration())
        #expect(run.weights[14].bps[0] > run.weights[14].bps[1])
        let last = try #require(run.weights.last)
        #expect(last.bps[1] > last.bps[0])
        #expect(run.policyRejections == 0)
    }
}
