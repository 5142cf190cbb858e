/// Market-wide daily series shared by every market's features: gas price and the ETH price.
///
/// The ETH price is the price implied by an Aave WETH market's snapshots (TVL over token balance), because the
/// CoinGecko price files stop in 2023; days without a value are absent, never filled in.
public struct MarketContext: Sendable {
    /// Average gas price paid, in gwei, by day number.
    public var gasGwei: [Int: Double]
    /// ETH price in USD, by day number.
    public var ethUSD: [Int: Double]

    public init(gasGwei: [Int: Double] = [:], ethUSD: [Int: Double] = [:]) {
        self.gasGwei = gasGwei
        self.ethUSD = ethUSD
    }
}
