import Allocation

extension MarketPanel {
    /// Steps `range` of the panel as a panel of their own.
    public func slice(_ range: Range<Int>) -> MarketPanel {
        precondition(range.lowerBound >= 0 && range.upperBound <= stepCount && !range.isEmpty, "slice out of range")
        let n = marketCount
        return MarketPanel(markets: markets, times: Array(times[range]), stepSeconds: stepSeconds,
                           quotes: Array(quotes[(range.lowerBound * n)..<(range.upperBound * n)]),
                           gasPriceWei: Array(gasPriceWei[range]), ethPriceUSD: Array(ethPriceUSD[range]))
    }

    /// The first step at which some market is available (nil if none ever is).
    public var firstAvailableStep: Int? {
        (0..<stepCount).first { t in (0..<marketCount).contains { quote(step: t, market: $0).isAvailable } }
    }
}
