import SigningPolicy

/// The market history a backtest (or the RL environment) steps through: a regular time grid (hourly or daily), the
/// markets, one `MarketQuote` per step and market, and the gas price and ETH price at each step.
///
/// Pure data, no I/O: `Backtest.MarketPanelLoader` builds it from a history directory, tests build small ones by
/// hand. Everything at step `t` is what was known at `times[t]`; a strategy deciding at `t` may read steps `0...t`
/// only (`AllocationContext` enforces this by handing out `t`).
public struct MarketPanel: Sendable {
    public var markets: [MarketInfo]
    /// The grid, strictly increasing, `stepSeconds` apart.
    public var times: [Timestamp]
    public var stepSeconds: Int64
    /// `quotes[t * markets.count + m]`: market `m` at step `t`.
    public var quotes: [MarketQuote]
    /// The average gas price paid that day, in wei (base fee plus tip, Etherscan's daily series).
    public var gasPriceWei: [Double]
    /// The ETH price in USD at each step (the Aave WETH market's implied price).
    public var ethPriceUSD: [Double]

    public init(markets: [MarketInfo], times: [Timestamp], stepSeconds: Int64, quotes: [MarketQuote],
                gasPriceWei: [Double], ethPriceUSD: [Double]) {
        precondition(quotes.count == times.count * markets.count, "one quote per step and market")
        precondition(gasPriceWei.count == times.count && ethPriceUSD.count == times.count, "one value per step")
        self.markets = markets
        self.times = times
        self.stepSeconds = stepSeconds
        self.quotes = quotes
        self.gasPriceWei = gasPriceWei
        self.ethPriceUSD = ethPriceUSD
    }

    public var stepCount: Int { times.count }
    public var marketCount: Int { markets.count }
    /// Steps per day: 24 for an hourly panel, 1 for a daily one.
    public var stepsPerDay: Int { max(1, Int(86_400 / stepSeconds)) }

    public func quote(step: Int, market: Int) -> MarketQuote { quotes[step * markets.count + market] }

    /// The mean supply APY of `market` over the `days` days ending at `step` (inclusive), available steps only;
    /// nil when none was available.
    public func trailingMeanAPY(market: Int, step: Int, days: Int) -> Double? {
        let first = max(0, step - days * stepsPerDay + 1)
        var sum = 0.0
        var count = 0
        for t in first...step {
            let q = quote(step: t, market: market)
            if q.isAvailable {
                sum += q.supplyAPY
                count += 1
            }
        }
        return count > 0 ? sum / Double(count) : nil
    }
}
