import Foundation
import Allocation
import Risk

/// The risk engine's kill switch in a backtest: the seed's conditions (`Risk.KillSwitchCondition`: utilisation
/// above 95 %, a stablecoin below 0.98, TVL down more than 30 % in 24 h) checked on every market the portfolio
/// holds. A peg or TVL condition engages at once; utilisation must stay above the bound for
/// `utilizationPersistenceHours` (Aave's utilisation touches 95 % for an hour or two every few weeks without any
/// withdrawal problem, and an exit each time would cost more than it saves). Once engaged, the planner proposes an
/// `emergency_exit` to the policy's safe haven; governance's release is modelled as automatic once no condition
/// has held for `releaseAfterHours`.
public struct KillSwitchGuard: Sendable, Hashable {
    public var condition: KillSwitchCondition
    public var utilizationPersistenceHours: Int
    public var releaseAfterHours: Int

    public init(condition: KillSwitchCondition = KillSwitchCondition(), utilizationPersistenceHours: Int = 6,
                releaseAfterHours: Int = 72) {
        self.condition = condition
        self.utilizationPersistenceHours = utilizationPersistenceHours
        self.releaseAfterHours = releaseAfterHours
    }

    /// The condition met at `step` by market `market`, in words; nil if none. `highUtilizationSteps` is how many
    /// steps in a row (this one included) the market's utilisation has been above the bound.
    func trigger(panel: MarketPanel, step: Int, market: Int, highUtilizationSteps: Int) -> String? {
        let q = panel.quote(step: step, market: market)
        guard q.isAvailable else { return nil }
        let id = panel.markets[market].id
        if condition.isMet(utilization: nil, tvl: q.tvlUSD, tvlDayAgo: nil, lowestStablecoin: q.price) {
            return "\(panel.markets[market].token.uppercased()) at \(format(q.price)) (\(id))"
        }
        let dayAgo = step - panel.stepsPerDay
        if dayAgo >= 0 {
            let before = panel.quote(step: dayAgo, market: market)
            if before.isAvailable, condition.isMet(utilization: nil, tvl: q.tvlUSD, tvlDayAgo: before.tvlUSD,
                                                   lowestStablecoin: nil) {
                return "TVL of \(id) down \(format(100 * (1 - q.tvlUSD / before.tvlUSD))) % in 24 h"
            }
        }
        let needed = max(1, utilizationPersistenceHours * panel.stepsPerDay / 24)
        if highUtilizationSteps >= needed {
            return "utilisation of \(id) at \(format(100 * q.utilization)) % for \(highUtilizationSteps) step(s)"
        }
        return nil
    }

    func isHighUtilization(_ quote: MarketQuote) -> Bool {
        quote.isAvailable && condition.isMet(utilization: quote.utilization, tvl: 0, tvlDayAgo: nil,
                                             lowestStablecoin: nil)
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
