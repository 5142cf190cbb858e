import Forecasting

/// The forecast step: each market's mean supply APY over the next 7 days, from an EWMA fitted on the market's
/// history up to the market day (walk-forward: only rows whose whole target lies before it).
public enum YieldForecast {
    public static func forecast(view: MarketView, markets: [String]) -> [String: Double] {
        let series = view.series.filter { markets.contains($0.market) }
        guard !series.isEmpty else { return [:] }
        let data = ForecastDataset(series: series, features: series.map { _ in [] })
        let model = EWMAForecaster()
        let training = data.rows { row, day in day + data.horizon < view.day }
        model.fit(data, rows: training)
        var result: [String: Double] = [:]
        for (m, s) in series.enumerated() {
            guard let last = s.days.indices.last else { continue }
            result[s.market] = model.predict(data, rows: [ForecastRow(market: m, index: last)]).first
        }
        return result
    }
}
