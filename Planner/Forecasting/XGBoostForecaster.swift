/// Gradient-boosted trees on the feature vectors, one model over all markets, predicting the change from
/// today's APY to the next week's mean (in basis points); the forecast is today's APY plus that change.
/// Before any training row exists it falls back to today's APY.
public final class XGBoostForecaster: Forecaster {
    private let regressor: XGBoostRegressor

    public init(regressor: XGBoostRegressor = XGBoostRegressor()) { self.regressor = regressor }

    public func fit(_ data: ForecastDataset, rows: [ForecastRow]) throws {
        guard !rows.isEmpty else { return }
        let inputs = rows.map { data.features[$0.market][$0.index] }
        let labels = rows.map { ((data.target($0) ?? data.apy($0)) - data.apy($0)) * 10_000 }
        try regressor.fit(inputs, labels: labels)
    }

    public func predict(_ data: ForecastDataset, rows: [ForecastRow]) throws -> [Double] {
        guard regressor.isFitted else { return rows.map { data.apy($0) } }
        let changes = try regressor.predict(rows.map { data.features[$0.market][$0.index] })
        return zip(rows, changes).map { data.apy($0) + $1 / 10_000 }
    }
}
