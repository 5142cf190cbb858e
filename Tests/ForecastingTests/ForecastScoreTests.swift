@testable import Forecasting
import Testing

struct ForecastScoreTests {
    @Test func metricsMatchHandComputedValues() {
        var score = ForecastScore()
        // (forecast, actual, current): errors +10, −20, 0, +30 bps.
        score.add(forecast: 0.0510, actual: 0.0500, current: 0.0490)  // up / up: hit
        score.add(forecast: 0.0380, actual: 0.0400, current: 0.0390)  // down / up: miss
        score.add(forecast: 0.0200, actual: 0.0200, current: 0.0250)  // down / down: hit
        score.add(forecast: 0.0130, actual: 0.0100, current: 0.0100)  // up / flat: miss
        #expect(score.n == 4)
        #expect(abs(score.maeBps - 15) < 1e-9)
        #expect(abs(score.rmseBps - (1400.0 / 4).squareRoot()) < 1e-9)
        let mape = (0.0010 / 0.05 + 0.0020 / 0.04 + 0 + 0.0030 / 0.01) / 4
        #expect(abs(score.mape - mape) < 1e-12)
        #expect(score.directionalAccuracy == 0.5)
    }

    @Test func zeroForecastChangeIsRightOnlyWhenTheActualChangeIsZero() {
        var score = ForecastScore()
        score.add(forecast: 0.05, actual: 0.05, current: 0.05)
        score.add(forecast: 0.05, actual: 0.06, current: 0.05)
        #expect(score.directionalAccuracy == 0.5)
    }
}
