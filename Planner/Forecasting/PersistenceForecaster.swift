/// The naive baseline: the next week's mean APY is today's APY.
public final class PersistenceForecaster: Forecaster {
    public init() {}

    public func fit(_ data: ForecastDataset, rows: [ForecastRow]) {}

    public func predict(_ data: ForecastDataset, rows: [ForecastRow]) -> [Double] {
        rows.map { data.apy($0) }
    }
}
