/// What the data says about one market at one step of a `MarketPanel`.
///
/// Fields are the last observation at or before the step (carried forward at most a day). A market that has no
/// such observation, or is still in its empty launch hours (TVL under $1M), is not `isAvailable`: strategies must
/// give it no weight, and the simulator rejects a target that does.
public struct MarketQuote: Sendable, Hashable {
    /// The lenders' variable rate as an APY fraction (0.05 = 5 %).
    public var supplyAPY: Double
    /// The USD price of the market's stablecoin (1.0 on peg; the de-peg moves it).
    public var price: Double
    public var tvlUSD: Double
    /// Supplied minus borrowed, in USD: what can be withdrawn now; trades are sized against it.
    public var availableLiquidityUSD: Double
    /// Borrowed over supplied (0…1, can touch 1).
    public var utilization: Double
    public var isAvailable: Bool

    public init(supplyAPY: Double, price: Double, tvlUSD: Double, availableLiquidityUSD: Double,
                utilization: Double, isAvailable: Bool) {
        self.supplyAPY = supplyAPY
        self.price = price
        self.tvlUSD = tvlUSD
        self.availableLiquidityUSD = availableLiquidityUSD
        self.utilization = utilization
        self.isAvailable = isAvailable
    }

    public static let unavailable = MarketQuote(supplyAPY: 0, price: 1, tvlUSD: 0, availableLiquidityUSD: 0,
                                                utilization: 0, isAvailable: false)
}
