/// What the data says about a protocol's markets at the scoring date (the economic, peg and liquidity factors'
/// inputs); nil fields mean no series.
public struct ProtocolMarketState: Sendable, Hashable {
    /// Standard deviation over mean of daily TVL over the last 30 days (seed §3.1.2), the worst of the markets.
    public var tvlVariation30d: Double?
    /// Borrowed over supplied, the highest of the stablecoin markets.
    public var utilization: Double?
    /// Supplied minus borrowed in USD, the smallest of the stablecoin markets: what can be withdrawn now.
    public var availableLiquidityUSD: Double?
    /// The lowest price of the stablecoins the protocol holds, at the scoring date.
    public var lowestStablecoinPrice: Double?

    public init(tvlVariation30d: Double? = nil, utilization: Double? = nil, availableLiquidityUSD: Double? = nil,
                lowestStablecoinPrice: Double? = nil) {
        self.tvlVariation30d = tvlVariation30d
        self.utilization = utilization
        self.availableLiquidityUSD = availableLiquidityUSD
        self.lowestStablecoinPrice = lowestStablecoinPrice
    }
}
