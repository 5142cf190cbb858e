@testable import Forecasting

/// Tiny synthetic markets for the forecasting tests.
enum SyntheticSeries {
    static let start = CivilDay(year: 2024, month: 1, day: 1)!

    /// A market whose supply APY on day `i` is `apy(i)`, utilisation `utilization(i)`.
    static func market(
        _ name: String = "aave_v3_test_eth", days: Int, apy: (Int) -> Double,
        utilization: (Int) -> Double = { _ in 0.8 }
    ) -> MarketSeries {
        MarketSeries(market: name, days: (0..<days).map { i in
            MarketDay(day: start + i, supplyAPY: apy(i), supplyAPR: apy(i), borrowAPR: apy(i) / 0.72,
                      utilization: utilization(i), tvlUSD: 1e6, suppliedUSD: 1e6, borrowedUSD: 8e5)
        })
    }
}
