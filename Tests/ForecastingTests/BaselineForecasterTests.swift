@testable import Forecasting
import Testing

struct BaselineForecasterTests {
    @Test func persistenceOnAConstantSeriesHasZeroError() throws {
        let data = ForecastDataset(series: [SyntheticSeries.market(days: 120, apy: { _ in 0.042 })])
        let evaluation = try WalkForward(from: SyntheticSeries.start + 60, to: SyntheticSeries.start + 100)
            .evaluate(data, models: [.init(name: "persistence") { PersistenceForecaster() }])
        let overall = evaluation.models[0].overall
        #expect(overall.n > 30)
        #expect(overall.maeBps < 1e-9 && overall.rmseBps < 1e-9 && overall.mape < 1e-12, "zero up to rounding")
    }

    @Test func persistenceOnARisingSeriesHasTheKnownError() throws {
        // APY rises 1 bp a day: the next week's mean is 4 bp above today.
        let data = ForecastDataset(series: [SyntheticSeries.market(days: 120, apy: { 0.03 + Double($0) * 1e-4 })])
        let result = try WalkForward(from: SyntheticSeries.start + 60, to: SyntheticSeries.start + 100)
            .evaluate(data, models: [.init(name: "persistence") { PersistenceForecaster() },
                                     .init(name: "ewma") { EWMAForecaster() }])
        #expect(abs(result.models[0].overall.maeBps - 4) < 1e-9)
        #expect(result.models[0].overall.directionalAccuracy == 0)
        #expect(result.models[1].overall.maeBps >= 4 - 1e-9, "an average of the past lags a trend even more")
    }
}
