import Allocation
import Backtest
import Foundation
import MarketData
import Risk
import SigningPolicy

/// What the planner knows of the market at one moment: the history of a data directory cut at `marketTime`, so
/// a replayed date sees nothing after it (the live loop's "refresh" step).
public struct MarketView: Sendable {
    /// The moment the view describes: the last hour of the data, or the replayed time.
    public let marketTime: Timestamp
    /// The policy's markets step by step up to `marketTime` (the backtest's panel; the last step is now).
    public let panel: MarketPanel
    /// Hourly (or daily) Aave snapshots up to `marketTime`, for the risk score.
    public let aave: AaveHistory
    /// Stablecoin price series up to `marketTime`, for the peg monitor.
    public let prices: [PriceSeries]

    /// Days of history the panel keeps before the market time (the strategies look back at most 30 days).
    public static let panelDays: Int64 = 45

    public init(marketTime: Timestamp, panel: MarketPanel, aave: AaveHistory, prices: [PriceSeries]) {
        self.marketTime = marketTime
        self.panel = panel
        self.aave = aave
        self.prices = prices
    }

    /// Reads `directory` and cuts it at `asOf` (default: the last Aave hour in the directory).
    public static func load(directory: HistoryDirectory, policy: SigningPolicy, asOf: Timestamp?) throws
        -> MarketView
    {
        let fullAave = try AaveHistory(directory: directory)
        guard let last = fullAave.lastHour else {
            throw LiveError(.noData, "\(directory.root.path) has no Aave data")
        }
        let time = asOf ?? last
        let firstHour = fullAave.snapshots.values.compactMap { $0.first?.hour }.min() ?? last
        guard time >= firstHour, time.seconds <= last.seconds + 86_400 else {
            throw LiveError(.noData, "\(time.rfc3339) is outside the data (\(firstHour.rfc3339) to "
                            + "\(last.rfc3339))" + (time < firstHour ? ": before the data's first hour" : ""))
        }
        let (loaded, _) = try MarketPanelLoader(directory: directory).load(
            policy: policy, from: time - Duration(seconds: panelDays * 86_400), to: time, step: nil)
        // The loader runs to the end of the day; keep the steps up to the market time only.
        let steps = loaded.times.lastIndex { $0 <= time }.map { $0 + 1 } ?? 0
        guard steps > 0, !loaded.markets.isEmpty else {
            throw LiveError(.noData, "no market of the policy has data at \(time.rfc3339)")
        }
        let panel = MarketPanel(markets: loaded.markets, times: Array(loaded.times.prefix(steps)),
                                stepSeconds: loaded.stepSeconds,
                                quotes: Array(loaded.quotes.prefix(steps * loaded.marketCount)),
                                gasPriceWei: Array(loaded.gasPriceWei.prefix(steps)),
                                ethPriceUSD: Array(loaded.ethPriceUSD.prefix(steps)))

        let aave = AaveHistory(snapshots: fullAave.snapshots.mapValues { $0.filter { $0.hour <= time } })
        let prices = try PriceSeriesLoader(directory: directory).load().map {
            PriceSeries(market: $0.market, coin: $0.coin, source: $0.source, points: $0.points.filter { $0.at <= time })
        }
        return MarketView(marketTime: time, panel: panel, aave: aave, prices: prices)
    }

    /// The panel's last step: now.
    public var step: Int { panel.stepCount - 1 }
}
