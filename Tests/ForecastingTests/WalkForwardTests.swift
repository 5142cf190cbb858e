@testable import Forecasting
import Testing

/// Records what it is trained on and predicts the latest training target: a perfect cheat if rows leaked.
private final class SpyForecaster: Forecaster {
    var fits: [(cutoffCandidates: [CivilDay], lastTargetEnd: CivilDay?)] = []
    var latestTarget = 0.0

    func fit(_ data: ForecastDataset, rows: [ForecastRow]) {
        let last = rows.max { data.targetEnd($0) < data.targetEnd($1) }
        fits.append(([], last.map { data.targetEnd($0) }))
        latestTarget = last.flatMap { data.target($0) } ?? 0
    }

    func predict(_ data: ForecastDataset, rows: [ForecastRow]) -> [Double] {
        rows.map { _ in latestTarget }
    }
}

struct WalkForwardTests {
    @Test func monthsSplitThePeriodAtCalendarMonths() {
        let walk = WalkForward(from: CivilDay(iso: "2024-07-15")!, to: CivilDay(iso: "2024-09-03")!)
        #expect(walk.months.map(\.cutoff.description) == ["2024-07-01", "2024-08-01", "2024-09-01"])
        #expect(walk.months.first?.test.lowerBound.description == "2024-07-15")
        #expect(walk.months.last?.test.upperBound.description == "2024-09-03")
    }

    @Test func trainingNeverUsesARowWhoseTargetWindowReachesIntoTheTestMonth() throws {
        // APY is 1 % until 2024-03-01, then 9 %: a model that saw any target window reaching into March would
        // know the jump before March starts.
        let jump = CivilDay(iso: "2024-03-01")!.number - SyntheticSeries.start.number
        let data = ForecastDataset(series: [SyntheticSeries.market(days: 140, apy: { $0 < jump ? 0.01 : 0.09 })])
        let spy = SpyForecaster()
        let walk = WalkForward(from: CivilDay(iso: "2024-03-01")!, to: CivilDay(iso: "2024-04-30")!)
        let result = try walk.evaluate(data, models: [.init(name: "spy") { spy }])
        #expect(spy.fits.count == 2)
        #expect(spy.fits[0].lastTargetEnd == CivilDay(iso: "2024-02-29"))
        #expect(spy.fits[1].lastTargetEnd == CivilDay(iso: "2024-03-31"))
        for ((cutoff, _), fit) in zip(walk.months, spy.fits) { #expect(fit.lastTargetEnd! < cutoff) }
        // March is forecast with February's 1 %: the error is the full 800 bp jump on every March day.
        let march = try WalkForward(from: CivilDay(iso: "2024-03-01")!, to: CivilDay(iso: "2024-03-31")!)
            .evaluate(data, models: [.init(name: "spy") { SpyForecaster() }])
        #expect(abs(march.models[0].overall.maeBps - 800) < 1e-9)
        #expect(result.models[0].overall.n > 50)
    }
}
