@testable import Forecasting
import Testing

struct ForecastTargetTests {
    @Test func targetIsTheMeanSupplyAPYOfTheNextSevenDays() {
        let series = SyntheticSeries.market(days: 20, apy: { Double($0) / 100 })
        // Days 4…10 → (4 + … + 10) / 7 = 7 → 0.07.
        #expect(abs(series.target(at: 3)! - 0.07) < 1e-15)
        #expect(abs(series.target(at: 12)! - 0.16) < 1e-15)
        #expect(series.target(at: 13) == nil, "days 14…20 reach past the series")
    }

    @Test func targetIsUndefinedWhenAWindowDayWasNotObserved() {
        var days = SyntheticSeries.market(days: 20, apy: { _ in 0.05 }).days
        days.remove(at: 8)
        let gappy = MarketSeries(market: "m", days: days)
        #expect(gappy.days.count == 20 && !gappy.days[8].observed)
        #expect(gappy.target(at: 1) == nil)
        #expect(gappy.target(at: 8) != nil)
    }

    @Test func civilDaysParseAndStepThroughMonths() {
        let day = CivilDay(iso: "2024-02-29")!
        #expect(day.description == "2024-02-29")
        #expect(day.firstOfNextMonth.description == "2024-03-01")
        #expect(CivilDay(iso: "2023-02-29") == nil)
        #expect(CivilDay(iso: "2024-07-01")!.weekday == 0, "2024-07-01 was a Monday")
    }
}
