import Foundation
import MarketData
import SigningPolicy

/// Builds early-warning rows from hourly Aave snapshots and stablecoin prices.
///
/// For market m at hour t the label is true when `KillSwitchCondition` is met for m at some hour in
/// (t, t + horizon]; hours where it is already met are left out (the classifier is asked to see a condition
/// coming, not to notice one in progress). The stablecoin condition uses the lowest price of any stablecoin series
/// at that hour (`PriceSeriesLoader`: Chainlink, CoinGecko, Aave v3 implied, Uniswap pool). Snapshot rows with TVL
/// under $1M (launch hours) are skipped.
///
/// Features (missing = NaN): utilisation, its 24 h change, log TVL ratio over 1 h and 24 h, supply and borrow APR
/// (fractions), borrow APR 24 h change, the lowest stablecoin price now and over the last 24 h (as deviation from
/// 1), whether the market is v3, whether its token is WETH.
public struct EarlyWarningDataset: Sendable {
    public static let featureNames = [
        "utilization", "utilization_change_24h", "log_tvl_ratio_1h", "log_tvl_ratio_24h", "supply_apr",
        "borrow_apr", "borrow_apr_change_24h", "lowest_stablecoin_deviation", "lowest_stablecoin_deviation_24h",
        "is_v3", "is_weth",
    ]

    public var condition: KillSwitchCondition
    public var horizonHours: Int64

    public init(condition: KillSwitchCondition = KillSwitchCondition(), horizonHours: Int64 = 24) {
        self.condition = condition
        self.horizonHours = horizonHours
    }

    /// Rows for every market of `snapshots` (grouped by market), sorted by hour then market.
    public func rows(snapshots: [String: [AaveSnapshot]], stablecoins: [PriceSeries]) -> [EarlyWarningRow] {
        var lowest: [Int64: Double] = [:]
        for series in stablecoins {
            for point in series.points {
                let hour = point.at.seconds
                lowest[hour] = min(lowest[hour] ?? .infinity, point.value)
            }
        }
        func lowestOverDay(_ hour: Int64) -> Double? {
            var result: Double?
            for back in 0..<24 {
                if let value = lowest[hour - Int64(back) * 3_600] { result = min(result ?? value, value) }
            }
            return result
        }
        var result: [EarlyWarningRow] = []
        for (market, rows) in snapshots {
            var byHour: [Int64: AaveSnapshot] = [:]
            for row in rows where row.tvlUSD >= PriceSeriesLoader.minimumAaveTVL {
                byHour[PriceSeriesLoader.hourStart(row.hour.seconds)] = row
            }
            let hours = byHour.keys.sorted()
            var met: [Int64: Bool] = [:]
            for hour in hours {
                let row = byHour[hour]!
                met[hour] = condition.isMet(utilization: row.utilization, tvl: row.tvlUSD,
                                            tvlDayAgo: byHour[hour - 86_400]?.tvlUSD, lowestStablecoin: lowest[hour])
            }
            let isV3: Float = market.hasPrefix("aave_v3") ? 1 : 0
            let isWETH: Float = market.contains("weth") ? 1 : 0
            for hour in hours where met[hour] == false {
                let row = byHour[hour]!
                var label = false
                for ahead in 1...horizonHours where met[hour + ahead * 3_600] == true {
                    label = true
                    break
                }
                let hourAgo = byHour[hour - 3_600]
                let dayAgo = byHour[hour - 86_400]
                func ratio(_ earlier: AaveSnapshot?) -> Float {
                    guard let earlier, earlier.tvlUSD > 0, row.tvlUSD > 0 else { return .nan }
                    return Float(log(row.tvlUSD / earlier.tvlUSD))
                }
                let utilization = row.utilization.map(Float.init) ?? .nan
                let utilizationDayAgo = dayAgo?.utilization.map(Float.init) ?? .nan
                let borrow = row.borrowerVariableAPR.map { Float($0 / 100) } ?? .nan
                let borrowDayAgo = dayAgo?.borrowerVariableAPR.map { Float($0 / 100) } ?? .nan
                let features: [Float] = [
                    utilization, utilization - utilizationDayAgo, ratio(hourAgo), ratio(dayAgo),
                    row.lenderVariableAPR.map { Float($0 / 100) } ?? .nan, borrow, borrow - borrowDayAgo,
                    lowest[hour].map { Float($0 - 1) } ?? .nan, lowestOverDay(hour).map { Float($0 - 1) } ?? .nan,
                    isV3, isWETH,
                ]
                result.append(EarlyWarningRow(market: market, hour: Timestamp(seconds: hour), features: features,
                                              label: label))
            }
        }
        return result.sorted { ($0.hour, $0.market) < ($1.hour, $1.market) }
    }
}
