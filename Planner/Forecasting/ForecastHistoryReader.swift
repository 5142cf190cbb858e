import Foundation
import MarketData

/// Reads a data directory laid out like `../shared/data` into daily market series and the market context:
/// the I/O edge of forecasting.
public struct ForecastHistoryReader: Sendable {
    public let directory: HistoryDirectory

    public init(directory: HistoryDirectory) { self.directory = directory }

    /// Every `aave/*.csv` market as a daily series (markets without a usable row are left out), sorted by id,
    /// and the gas and ETH price context. Malformed rows are skipped by the readers.
    public func read() throws -> (series: [MarketSeries], context: MarketContext) {
        let files = try directory.files().files
        var series: [MarketSeries] = []
        for file in files where file.kind == .aave {
            var snapshots: [AaveSnapshot] = []
            _ = try file.csv(AaveSnapshot.self).read { snapshots.append($0) }
            let daily = MarketSeries(market: file.stem, snapshots: snapshots)
            if !daily.days.isEmpty { series.append(daily) }
        }
        series.sort { $0.market < $1.market }
        var context = MarketContext()
        for file in files where file.kind == .etherscanDaily && file.relativePath == "gas/AvgGasPrice.csv" {
            _ = try file.csv(EtherscanDailyValue.self).read { value in
                if value.value > 0 { context.gasGwei[Int(value.day.seconds / 86_400)] = value.value / 1e9 }
            }
        }
        // ETH price: v3 WETH's implied price where present, else v2's.
        for name in ["aave_v2_weth_eth", "aave_v3_weth_eth"] {
            guard let weth = series.first(where: { $0.market == name }) else { continue }
            for day in weth.days where day.observed {
                if let price = day.impliedPrice { context.ethUSD[day.day.number] = price }
            }
        }
        return (series, context)
    }
}
