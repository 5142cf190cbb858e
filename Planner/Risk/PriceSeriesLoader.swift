import Foundation
import MarketData
import SigningPolicy

/// Reads the stablecoin price series of a history directory (`../shared/data` or the daily extract), one per
/// file and source, bucketed by hour (the last observation of each hour).
///
/// Sources: Chainlink rounds (carried forward hour by hour, at most 24 h, as a feed's heartbeat allows), CoinGecko
/// prices of USDC, USDT, DAI, UST, FRAX and LUSD, the implied price of the Aave v3 stablecoin markets (rows with
/// TVL under $1M, the launch hours, are skipped; v2 is pinned at 1 by its oracle and left out), and the Uniswap v3
/// USDC/USDT pool price (USDC in USDT).
public struct PriceSeriesLoader: Sendable {
    public static let coingeckoCoins: Set<String> = ["USDC", "USDT", "DAI", "UST", "FRAX", "LUSD"]
    public static let aaveStableTokens: Set<String> = ["usdc", "usdt", "dai", "usde"]
    static let minimumAaveTVL = 1_000_000.0

    public let directory: HistoryDirectory

    public init(directory: HistoryDirectory) {
        self.directory = directory
    }

    /// Every stablecoin price series in the directory, sorted by market.
    public func load() throws -> [PriceSeries] {
        var result: [PriceSeries] = []
        for file in try directory.files().files {
            switch file.kind {
            case .chainlink:
                var rounds: [SeriesPoint] = []
                _ = try file.csv(ChainlinkRound.self).read {
                    rounds.append(SeriesPoint(at: $0.updatedAt, value: $0.price))
                }
                let coin = file.stem.split(separator: "_").first.map { $0.uppercased() } ?? file.stem
                result.append(PriceSeries(market: file.stem, coin: coin, source: .chainlink,
                                          points: Self.carriedForward(Self.hourly(rounds), maximumHours: 24)))
            case .prices:
                let coin = PricePoint.symbol(fromStem: file.stem)
                guard Self.coingeckoCoins.contains(coin) else { continue }
                var points: [SeriesPoint] = []
                _ = try file.csv(PricePoint.self).read { points.append(SeriesPoint(at: $0.at, value: $0.usd)) }
                result.append(PriceSeries(market: file.stem, coin: coin, source: .coingecko,
                                          points: Self.hourly(points)))
            case .aave:
                guard file.stem.hasPrefix("aave_v3_") else { continue }
                var points: [SeriesPoint] = []
                var token: String?
                _ = try file.csv(AaveSnapshot.self).read { row in
                    token = row.token
                    guard let symbol = row.token, Self.aaveStableTokens.contains(symbol),
                          row.tvlUSD >= Self.minimumAaveTVL, let price = row.impliedPrice else { return }
                    points.append(SeriesPoint(at: row.hour, value: price))
                }
                guard let symbol = token, Self.aaveStableTokens.contains(symbol) else { continue }
                result.append(PriceSeries(market: file.stem, coin: symbol.uppercased(), source: .aaveImplied,
                                          points: Self.hourly(points)))
            case .uniswap:
                var points: [SeriesPoint] = []
                var coin = "USDC"
                _ = try file.csv(UniswapPoolState.self).read { row in
                    coin = row.token0.uppercased()
                    points.append(SeriesPoint(at: row.hour, value: row.price))
                }
                result.append(PriceSeries(market: file.stem, coin: coin, source: .uniswapPool,
                                          points: Self.hourly(points)))
            default:
                continue
            }
        }
        return result.sorted { $0.market < $1.market }
    }

    /// The last observation of each hour, stamped with the hour's start, in time order.
    public static func hourly(_ points: [SeriesPoint]) -> [SeriesPoint] {
        var byHour: [Int64: SeriesPoint] = [:]
        for point in points {
            let hour = Self.hourStart(point.at.seconds)
            if let kept = byHour[hour], kept.at > point.at { continue }
            byHour[hour] = point
        }
        return byHour.keys.sorted().map { SeriesPoint(at: Timestamp(seconds: $0), value: byHour[$0]!.value) }
    }

    /// Fills missing hours with the last value, for at most `maximumHours` after an observation.
    public static func carriedForward(_ points: [SeriesPoint], maximumHours: Int64) -> [SeriesPoint] {
        guard var previous = points.first else { return [] }
        var result = [previous]
        for point in points.dropFirst() {
            var hour = previous.at.seconds + 3_600
            while hour < point.at.seconds, hour - previous.at.seconds <= maximumHours * 3_600 {
                result.append(SeriesPoint(at: Timestamp(seconds: hour), value: previous.value))
                hour += 3_600
            }
            result.append(point)
            previous = point
        }
        return result
    }

    static func hourStart(_ seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / 3_600 * 3_600 : (seconds - 3_599) / 3_600 * 3_600
    }
}
