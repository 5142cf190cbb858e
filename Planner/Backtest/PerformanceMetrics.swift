import Foundation
import SigningPolicy

/// The metrics a backtest reports, with their standard definitions, computed from the equity curve (portfolio
/// value after every cost, at every step).
///
/// Daily returns `r_d = V(day d+1, 00:00 UTC) / V(day d, 00:00) − 1` are taken at the grid's day boundaries, so an
/// hourly and a daily run of the same period are comparable. Risk-free rate 0. With `n` daily returns:
///
/// - `netAPY` = (1 + mean r)^365 − 1: the compounded mean daily return after gas and slippage;
/// - `cagr` = (V_end / V_start)^(365 days / elapsed) − 1;
/// - `sharpe` = mean r / sd r × √365, sd with n − 1; nil when sd is 0;
/// - `sortino` = mean r / sqrt(Σ min(r, 0)² / n) × √365; nil when no day lost;
/// - `maxDrawdown` = max over steps of 1 − V_t / max_{s ≤ t} V_s (a fraction, 0 when never below a peak).
public struct PerformanceMetrics: Sendable, Hashable {
    public var netAPY: Double
    public var cagr: Double
    public var sharpe: Double?
    public var sortino: Double?
    public var maxDrawdown: Double
    /// Steps of the peak and the trough of the maximum drawdown (equal when there was none).
    public var maxDrawdownPeak: Int
    public var maxDrawdownTrough: Int
    public var dailyReturns: [Double]

    public init(times: [Timestamp], equity: [Double]) {
        precondition(times.count == equity.count, "one value per time")
        let daily = Self.dailyReturns(times: times, equity: equity)
        dailyReturns = daily
        let n = Double(daily.count)
        let mean = daily.isEmpty ? 0 : daily.reduce(0, +) / n
        netAPY = pow(1 + mean, 365) - 1
        if let first = equity.first, let last = equity.last, first > 0, times.count > 1 {
            let years = Double(times.last!.seconds - times.first!.seconds) / (365 * 86_400)
            cagr = years > 0 ? pow(last / first, 1 / years) - 1 : 0
        } else {
            cagr = 0
        }
        if daily.count > 1 {
            let variance = daily.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            sharpe = variance > 0 ? mean / variance.squareRoot() * 365.0.squareRoot() : nil
        } else {
            sharpe = nil
        }
        let downside = daily.reduce(0) { $0 + min($1, 0) * min($1, 0) }
        sortino = downside > 0 ? mean / (downside / n).squareRoot() * 365.0.squareRoot() : nil
        maxDrawdown = Self.maxDrawdown(equity)
        var peak = 0, best = (0.0, 0, 0)
        for (t, value) in equity.enumerated() {
            if value > equity[peak] { peak = t }
            if equity[peak] > 0, 1 - value / equity[peak] > best.0 { best = (1 - value / equity[peak], peak, t) }
        }
        maxDrawdownPeak = best.1
        maxDrawdownTrough = best.2
    }

    /// Returns between consecutive day boundaries (00:00 UTC) of the grid.
    public static func dailyReturns(times: [Timestamp], equity: [Double]) -> [Double] {
        var boundaries: [Double] = []
        for (t, time) in times.enumerated() where time.seconds % 86_400 == 0 { boundaries.append(equity[t]) }
        guard boundaries.count > 1 else { return [] }
        return (1..<boundaries.count).map { boundaries[$0 - 1] > 0 ? boundaries[$0] / boundaries[$0 - 1] - 1 : 0 }
    }

    public static func maxDrawdown(_ equity: [Double]) -> Double {
        var peak = -Double.infinity
        var worst = 0.0
        for value in equity {
            peak = max(peak, value)
            if peak > 0 { worst = max(worst, 1 - value / peak) }
        }
        return worst
    }

    /// The drawdown at every step (for the report's chart).
    public static func drawdowns(_ equity: [Double]) -> [Double] {
        var peak = -Double.infinity
        return equity.map { value in
            peak = max(peak, value)
            return peak > 0 ? 1 - value / peak : 0
        }
    }
}
