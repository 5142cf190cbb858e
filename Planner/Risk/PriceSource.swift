/// Where a stablecoin price series comes from; each source sees a de-peg at its own time.
public enum PriceSource: String, Sendable, Hashable, CaseIterable {
    /// Chainlink aggregator rounds, carried forward hour by hour.
    case chainlink
    /// CoinGecko hourly USD prices (`prices/<SYMBOL>_usd.csv`).
    case coingecko
    /// The token price implied by an Aave snapshot, `TVL_USD / balance` (v3 only: v2 is pinned by its oracle).
    case aaveImplied = "aave_implied"
    /// The Uniswap v3 pool price `1.0001^tick`, decimals adjusted.
    case uniswapPool = "uniswap_pool"
}
