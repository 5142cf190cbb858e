import Allocation
import Foundation
import MarketData
import SigningPolicy

/// Builds a `MarketPanel` from a history directory laid out like `../shared/data` (hourly) or the committed daily
/// extract `Planner/history`.
///
/// - Markets: the Aave stablecoin markets (`aave/aave_v{2,3}_{usdc,usdt,dai,usde}_eth.csv`) whose adapter
///   (`MarketAdapters`) the policy allowlists. A market is available at a step when its last snapshot at or before
///   the step is at most 36 h old, has a rate, and holds at least $1M (the launch hours are empty).
/// - APY: the lenders' variable APR compounded per second (`AaveSnapshot.supplyAPY`).
/// - Coin prices (what a de-peg does to holdings): the implied price of the coin's Aave v3 market
///   (`TVL_USD / balance`; v2 is pinned at 1 by its oracle), else CoinGecko's hourly price (`prices/`, through
///   2023-02), else 1.
/// - Gas: Etherscan's daily average gas price paid (`gas/AvgGasPrice.csv`), the day's value at each step.
/// - ETH price: the data has no ETH/USD series after 2022-06 (`compound/etherscan_ether_price.csv` ends there), so
///   it is the implied price of the Aave v3 WETH market (its oracle's price), else v2 WETH, else that file.
public struct MarketPanelLoader: Sendable {
    public static let stablecoins: Set<String> = ["usdc", "usdt", "dai", "usde"]
    static let minimumTVL = 1_000_000.0
    static let maximumStaleness: Int64 = 36 * 3_600

    public let directory: HistoryDirectory

    public init(directory: HistoryDirectory) { self.directory = directory }

    /// What was loaded besides the panel: where ETH prices came from, markets left out and why.
    public struct Notes: Sendable {
        public var ethPriceSource = ""
        public var leftOut: [String] = []
        public var detectedStep: StepSize = .day
        /// The period actually run (the defaults resolved).
        public var from = Timestamp(seconds: 0)
        public var to = Timestamp(seconds: 0)
    }

    struct Row {
        var at: Int64
        var apy: Double?
        var price: Double?
        var tvl: Double
        var available: Double
        var utilization: Double
    }

    /// The panel from `from` (00:00 UTC) through the end of `to`'s day, in steps of `step` (nil: hourly when the
    /// data is hourly, daily otherwise). `to` defaults to the last day of the allowlisted markets' data, `from` to
    /// 364 days before `to` (a year).
    public func load(policy: SigningPolicy, from: Timestamp?, to: Timestamp?, step: StepSize?) throws
        -> (panel: MarketPanel, notes: Notes)
    {
        var notes = Notes()
        var aave: [String: [Row]] = [:]
        var etherscanETH: [Int64: Double] = [:]
        var gasByDay: [Int64: Double] = [:]
        var coingecko: [String: [(Int64, Double)]] = [:]
        for file in try directory.files().files {
            switch file.kind {
            case .aave:
                var rows: [Row] = []
                _ = try file.csv(AaveSnapshot.self).read { s in
                    rows.append(Row(at: s.hour.seconds, apy: s.supplyAPY, price: s.impliedPrice, tvl: s.tvlUSD,
                                    available: max(0, s.suppliedUSD - s.borrowedUSD),
                                    utilization: s.utilization ?? 0))
                }
                aave[file.stem] = rows.sorted { $0.at < $1.at }
            case .etherscanDaily where file.stem == "AvgGasPrice":
                _ = try file.csv(EtherscanDailyValue.self).read { gasByDay[$0.day.seconds] = $0.value }
            case .etherscanDaily where file.stem == "etherscan_ether_price":
                _ = try file.csv(EtherscanDailyValue.self).read { etherscanETH[$0.day.seconds] = $0.value }
            case .prices:
                let coin = PricePoint.symbol(fromStem: file.stem).lowercased()
                guard Self.stablecoins.contains(coin) else { continue }
                var points: [(Int64, Double)] = []
                _ = try file.csv(PricePoint.self).read { points.append(($0.at.seconds, $0.usd)) }
                coingecko[coin] = points.sorted { $0.0 < $1.0 }
            default:
                continue
            }
        }
        let detected = Self.detectStep(aave.values.first { $0.count > 2 } ?? [])
        notes.detectedStep = detected
        let size = step ?? detected

        // Markets: stablecoin Aave markets the policy allowlists.
        var markets: [MarketInfo] = []
        for id in aave.keys.sorted() {
            let token = Self.token(of: id)
            guard let token, Self.stablecoins.contains(token) else { continue }
            let adapter = MarketAdapters.address(forMarket: id)
            guard let entry = policy.adapters[adapter], let cap = policy.effectiveMaxWeightBps(for: adapter) else {
                notes.leftOut.append("\(id): adapter \(adapter.checksummed) not in the policy's allowlist")
                continue
            }
            markets.append(MarketInfo(id: id, token: token, adapter: adapter, adapterClass: entry.adapterClass,
                                      maxWeightBps: cap))
        }
        guard !markets.isEmpty else {
            throw BacktestError(.noMarkets, "no Aave stablecoin market of \(directory.root.path) is allowlisted",
                                hint: "use --policy policy/backtest.toml, or a policy allowlisting the markets' "
                                    + "adapters (see Planner/Backtest/MarketAdapters.swift)")
        }

        // The grid.
        let lastRow = markets.compactMap { aave[$0.id]?.last?.at }.max() ?? 0
        let lastDay = UTCDate.startOfDay(to ?? Timestamp(seconds: lastRow)).seconds
        let start = UTCDate.startOfDay(from ?? Timestamp(seconds: lastDay - 364 * 86_400)).seconds
        let end = lastDay + 86_400
        guard end > start else {
            throw BacktestError(.emptyRange, "the range is empty", hint: "--from must not be after --to")
        }
        notes.from = Timestamp(seconds: start)
        notes.to = Timestamp(seconds: lastDay)
        let firstRow = markets.compactMap { aave[$0.id]?.first?.at }.min() ?? 0
        guard start <= lastRow, end > firstRow else {
            throw BacktestError(.emptyRange, "the data in \(directory.root.path) covers "
                                    + "\(UTCDate.dayString(Timestamp(seconds: firstRow)))…"
                                    + "\(UTCDate.dayString(Timestamp(seconds: lastRow))), not the period asked",
                                hint: "choose --from and --to inside the data")
        }
        let times = stride(from: start, through: end, by: Int(size.seconds)).map { Timestamp(seconds: $0) }

        // Quotes.
        var quotes: [MarketQuote] = []
        quotes.reserveCapacity(times.count * markets.count)
        var columns: [[MarketQuote]] = []
        for market in markets {
            let rows = aave[market.id] ?? []
            let priceRows = aave["aave_v3_\(market.token)_eth"] ?? []
            let fallback = coingecko[market.token] ?? []
            var column: [MarketQuote] = []
            column.reserveCapacity(times.count)
            var i = -1, p = -1, c = -1
            for time in times {
                let s = time.seconds
                while i + 1 < rows.count, rows[i + 1].at <= s { i += 1 }
                while p + 1 < priceRows.count, priceRows[p + 1].at <= s { p += 1 }
                while c + 1 < fallback.count, fallback[c + 1].0 <= s { c += 1 }
                guard i >= 0, s - rows[i].at <= Self.maximumStaleness, let apy = rows[i].apy,
                      rows[i].tvl >= Self.minimumTVL
                else {
                    column.append(.unavailable)
                    continue
                }
                var price = 1.0
                if p >= 0, s - priceRows[p].at <= Self.maximumStaleness, priceRows[p].tvl >= Self.minimumTVL,
                   let implied = priceRows[p].price {
                    price = implied
                } else if c >= 0, s - fallback[c].0 <= Self.maximumStaleness {
                    price = fallback[c].1
                }
                let r = rows[i]
                column.append(MarketQuote(supplyAPY: apy, price: price, tvlUSD: r.tvl,
                                          availableLiquidityUSD: r.available, utilization: r.utilization,
                                          isAvailable: true))
            }
            columns.append(column)
        }
        for t in times.indices { for column in columns { quotes.append(column[t]) } }

        // Gas: the day's average price paid (the latest known day at or before the step).
        let gasDays = gasByDay.keys.sorted()
        var gas: [Double] = []
        var g = -1
        for time in times {
            while g + 1 < gasDays.count, gasDays[g + 1] <= time.seconds { g += 1 }
            guard g >= 0, time.seconds - gasDays[g] <= 7 * 86_400 else {
                throw BacktestError(.noGasPrices, "no gas price for \(UTCDate.dayString(time)) in "
                                        + "\(directory.root.path)/gas/AvgGasPrice.csv",
                                    hint: "choose dates the gas history covers")
            }
            gas.append(gasByDay[gasDays[g]]!)
        }

        // ETH price.
        var eth: [Double] = []
        var sources: Set<String> = []
        let wethSeries = ["aave_v3_weth_eth", "aave_v2_weth_eth"].map { (id: $0, rows: aave[$0] ?? []) }
        var cursors = [-1, -1]
        let ethDays = etherscanETH.keys.sorted()
        var e = -1
        for time in times {
            let s = time.seconds
            var price: Double?
            for k in wethSeries.indices {
                let rows = wethSeries[k].rows
                while cursors[k] + 1 < rows.count, rows[cursors[k] + 1].at <= s { cursors[k] += 1 }
                if price == nil, cursors[k] >= 0, s - rows[cursors[k]].at <= Self.maximumStaleness,
                   rows[cursors[k]].tvl >= Self.minimumTVL, let implied = rows[cursors[k]].price {
                    price = implied
                    sources.insert("\(wethSeries[k].id) implied price")
                }
            }
            while e + 1 < ethDays.count, ethDays[e + 1] <= s { e += 1 }
            if price == nil, e >= 0, s - ethDays[e] <= 2 * 86_400 {
                price = etherscanETH[ethDays[e]]
                sources.insert("compound/etherscan_ether_price.csv")
            }
            guard let price else {
                throw BacktestError(.noETHPrice, "no ETH price for \(UTCDate.dayString(time)) in "
                                        + directory.root.path,
                                    hint: "the ETH price comes from aave/aave_v{3,2}_weth_eth.csv or "
                                        + "compound/etherscan_ether_price.csv; choose dates they cover")
            }
            eth.append(price)
        }
        notes.ethPriceSource = sources.sorted().joined(separator: ", ")
        let panel = MarketPanel(markets: markets, times: times, stepSeconds: size.seconds, quotes: quotes,
                                gasPriceWei: gas, ethPriceUSD: eth)
        return (panel, notes)
    }

    /// `aave_v3_usdc_eth` → `usdc`.
    static func token(of id: String) -> String? {
        let parts = id.split(separator: "_")
        return parts.count == 4 && parts[0] == "aave" ? String(parts[2]) : nil
    }

    /// Hourly when most consecutive rows are at most two hours apart.
    static func detectStep(_ rows: [Row]) -> StepSize {
        guard rows.count > 2 else { return .day }
        var close = 0
        for k in 1..<rows.count where rows[k].at - rows[k - 1].at <= 7_200 { close += 1 }
        return close * 2 > rows.count ? .hour : .day
    }
}
