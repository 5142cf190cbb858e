import Backtest
import Foundation
import SigningPolicy
import Testing

/// Metrics against values computed by hand.
struct PerformanceMetricsTests {
    func days(_ n: Int) -> [Timestamp] { (0..<n).map { Timestamp(seconds: 1_704_067_200 + Int64($0) * 86_400) } }

    @Test func knownEquityCurve() throws {
        // Daily returns: +1 %, −1 %, +2 %.
        let equity = [100.0, 101.0, 99.99, 101.9898]
        let metrics = PerformanceMetrics(times: days(4), equity: equity)
        let r = metrics.dailyReturns
        #expect(r.count == 3)
        #expect(abs(r[0] - 0.01) < 1e-12 && abs(r[1] + 0.01) < 1e-12 && abs(r[2] - 0.02) < 1e-12)
        // mean = 0.02 / 3; sample sd = sqrt(((0.01−m)² + (−0.01−m)² + (0.02−m)²) / 2) = 0.0152752523…
        let mean = 0.02 / 3
        #expect(abs(metrics.netAPY - (pow(1 + mean, 365) - 1)) < 1e-9)
        #expect(abs(metrics.sharpe! - mean / 0.015275252316519466 * 365.0.squareRoot()) < 1e-9)
        // downside deviation = sqrt(0.01² / 3) = 0.0057735026…
        #expect(abs(metrics.sortino! - mean / 0.005773502691896258 * 365.0.squareRoot()) < 1e-9)
        // CAGR over 3 days: (1.019898)^(365/3) − 1.
        #expect(abs(metrics.cagr - (pow(1.019898, 365.0 / 3) - 1)) < 1e-9)
        // Peak 101 → trough 99.99: 1 %.
        #expect(abs(metrics.maxDrawdown - 0.01) < 1e-12)
    }

    @Test func maxDrawdownIsTheDeepestFallFromAPeak() {
        #expect(abs(PerformanceMetrics.maxDrawdown([100, 120, 90, 130, 117]) - 0.25) < 1e-12)
        #expect(PerformanceMetrics.maxDrawdown([1, 2, 3]) == 0)
    }

    @Test func flatCurveHasNoSharpeOrSortino() {
        let metrics = PerformanceMetrics(times: days(5), equity: [1, 1, 1, 1, 1])
        #expect(metrics.netAPY == 0 && metrics.cagr == 0 && metrics.maxDrawdown == 0)
        #expect(metrics.sharpe == nil && metrics.sortino == nil)
    }

    @Test func hourlyCurveIsSampledAtDayBoundaries() {
        let times = (0...48).map { Timestamp(seconds: 1_704_067_200 + Int64($0) * 3_600) }
        let equity = (0...48).map { 100 + Double($0) }
        let r = PerformanceMetrics(times: times, equity: equity).dailyReturns
        #expect(r.count == 2)
        #expect(abs(r[0] - 0.24) < 1e-12 && abs(r[1] - 24.0 / 124) < 1e-12)
    }
}
