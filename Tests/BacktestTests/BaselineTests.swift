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
        // Market 0 yields 6 % for 15 days, then 1 %; market 2 the other way round; market 1 3 % throughout.
        let ids = ["aave_v3_usdc_eth", "aave_v3_usdt_eth", "aave_v3_dai_eth"]
        let panel = BacktestFixtures.panel(ids: ids, days: 40) { t, m in
            let apy = [t < 15 ? 0.06 : 0.01, 0.03, t < 15 ? 0.01 : 0.06][m]
            return MarketQuote(supplyAPY: apy, price: 1, tvlUSD: 1e9, availableLiquidityUSD: 2e8, utilization: 0.8,
                               isAvailable: true)
        }
        let run = BacktestRunner.run(RankedYieldStrategy(score: .trailing), panel: panel,
                                     policy: try BacktestFixtures.policy(), configuration: SimulatorConfiguration())
        #expect(run.weights[14].bps[0] >= 4_990 && run.weights[14].bps[2] == 0)
        let last = try #require(run.weights.last)
        #expect(last.bps[2] >= 4_990 && last.bps[0] == 0)
        #expect(run.policyRejections == 0)
    }
}
