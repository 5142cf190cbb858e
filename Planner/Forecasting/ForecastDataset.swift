/// Daily series, their features and targets: everything a forecaster may look at.
///
/// A forecaster asked about row `(m, t)` may read `series[m].days[0...t]` and `features[m][0...t]` only; the
/// walk-forward evaluation hands `fit` only rows whose whole target window ends before the test month.
public struct ForecastDataset: Sendable {
    public let series: [MarketSeries]
    /// `[market][day index][feature]`, names in `FeatureTable.names` (or the caller's own for a custom table).
    public let features: [[[Double]]]
    public let horizon: Int

    public init(series: [MarketSeries], features: [[[Double]]], horizon: Int = Forecasting.horizon) {
        precondition(series.count == features.count, "One feature table per market")
        self.series = series
        self.features = features
        self.horizon = horizon
    }

    /// The dataset with `FeatureTable`'s features.
    public init(series: [MarketSeries], context: MarketContext = MarketContext()) {
        self.init(series: series, features: FeatureTable.compute(series: series, context: context))
    }

    public var featureCount: Int { features.first(where: { !$0.isEmpty })?.first?.count ?? 0 }

    /// Today's supply APY at `row`.
    public func apy(_ row: ForecastRow) -> Double { series[row.market].days[row.index].supplyAPY }

    /// The target at `row` (mean supply APY over the next `horizon` days), nil if not fully observed.
    public func target(_ row: ForecastRow) -> Double? { series[row.market].target(at: row.index, horizon: horizon) }

    /// The day of `row`.
    public func day(_ row: ForecastRow) -> CivilDay { series[row.market].days[row.index].day }

    /// The last day whose data the target of `row` uses.
    public func targetEnd(_ row: ForecastRow) -> CivilDay { day(row) + horizon }

    /// Rows that can be scored or trained on: observed day, past the warm-up, target fully observed, and
    /// `include` says yes to the day.
    public func rows(where include: (ForecastRow, CivilDay) -> Bool) -> [ForecastRow] {
        var rows: [ForecastRow] = []
        for (m, s) in series.enumerated() {
            for t in s.days.indices where t >= Forecasting.warmUpDays && s.days[t].observed {
                let row = ForecastRow(market: m, index: t)
                if include(row, s.days[t].day), target(row) != nil { rows.append(row) }
            }
        }
        return rows
    }
}
