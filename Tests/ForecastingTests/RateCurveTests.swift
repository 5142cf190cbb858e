@testable import Forecasting
import Testing

struct RateCurveTests {
    @Test func fitRecoversAKnownKinkedCurve() throws {
        let truth = RateCurve(base: 0, slope1: 0.04, slope2: 0.60, kink: 0.90, reserveFactor: 0.10)
        let u = stride(from: 0.30, through: 0.99, by: 0.01).map { $0 }
        let fitted = try #require(RateCurve.fit(utilization: u, borrowAPR: u.map { truth.borrowAPR(utilization: $0) },
                                                supplyAPR: u.map { truth.supplyAPR(utilization: $0) }))
        #expect(abs(fitted.kink - 0.90) < 1e-9)
        #expect(abs(fitted.slope1 - 0.04) < 1e-6 && abs(fitted.slope2 - 0.60) < 1e-6 && abs(fitted.base) < 1e-6)
        #expect(abs(fitted.reserveFactor - 0.10) < 1e-9)
    }

    @Test func fitNeedsThreePoints() {
        #expect(RateCurve.fit(utilization: [0.5, 0.6], borrowAPR: [0.02, 0.03], supplyAPR: [0.01, 0.02]) == nil)
    }
}
