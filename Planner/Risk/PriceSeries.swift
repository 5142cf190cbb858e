/// An hourly (or, in the daily extract, daily) price series of one stablecoin from one source, in time order.
public struct PriceSeries: Sendable, Hashable {
    /// The market id shown in alerts: the file stem (`aave_v3_usdc_eth`, `USDC_usd`, `usdc_usdt_1bp_hourly`, …).
    public var market: String
    /// The stablecoin's symbol in upper case (`USDC`), which selects the peg thresholds.
    public var coin: String
    public var source: PriceSource
    public var points: [SeriesPoint]

    public init(market: String, coin: String, source: PriceSource, points: [SeriesPoint]) {
        self.market = market
        self.coin = coin
        self.source = source
        self.points = points
    }

    /// The points with `from <= at < to`.
    public func window(from: Timestamp, to: Timestamp) -> [SeriesPoint] {
        points.filter { $0.at >= from && $0.at < to }
    }

    /// The first point at or after `from` whose value is below `level`, nil if none.
    public func firstCrossing(below level: Double, from: Timestamp) -> SeriesPoint? {
        points.first { $0.at >= from && $0.value < level }
    }
}

import SigningPolicy
