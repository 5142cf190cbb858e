/// One forecast point: a market (its position in the dataset) and a day (its index in that market's series).
public struct ForecastRow: Hashable, Sendable {
    public var market: Int
    public var index: Int

    public init(market: Int, index: Int) {
        self.market = market
        self.index = index
    }
}
