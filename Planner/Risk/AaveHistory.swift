import Foundation
import MarketData
import SigningPolicy

/// The Aave snapshots of a history directory, grouped by market id, in time order.
public struct AaveHistory: Sendable {
    public var snapshots: [String: [AaveSnapshot]]

    public init(snapshots: [String: [AaveSnapshot]]) {
        self.snapshots = snapshots
    }

    /// Reads every `aave/*.csv` file of `directory`.
    public init(directory: HistoryDirectory) throws {
        var grouped: [String: [AaveSnapshot]] = [:]
        for file in try directory.files().files where file.kind == .aave {
            var rows: [AaveSnapshot] = []
            _ = try file.csv(AaveSnapshot.self).read { rows.append($0) }
            grouped[file.stem] = rows.sorted { $0.hour < $1.hour }
        }
        snapshots = grouped
    }

    /// The last snapshot hour of any market.
    public var lastHour: Timestamp? { snapshots.values.compactMap { $0.last?.hour }.max() }

    /// The state of the stablecoin markets whose id starts with `prefix`, at `asOf` (the last row at or before it),
    /// with `lowestStablecoinPrice` from `prices` (the last point at or before `asOf` of each series).
    public func state(prefix: String, asOf: Timestamp, prices: [PriceSeries]) -> ProtocolMarketState {
        var state = ProtocolMarketState()
        let stable: Set<String> = ["usdc", "usdt", "dai"]
        for (market, rows) in snapshots where !prefix.isEmpty && market.hasPrefix(prefix) {
            guard let token = rows.first?.token, stable.contains(token) else { continue }
            let recent = rows.filter { $0.hour <= asOf && $0.hour.seconds > asOf.seconds - 30 * 86_400 }
            guard let last = recent.last, last.tvlUSD > 0 else { continue }
            let daily = Dictionary(grouping: recent) { UTCDate.startOfDay($0.hour) }.values.compactMap {
                $0.max { $0.hour < $1.hour }?.tvlUSD
            }
            if daily.count > 1 {
                let mean = daily.reduce(0, +) / Double(daily.count)
                let variance = daily.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(daily.count)
                let variation = mean > 0 ? variance.squareRoot() / mean : 0
                state.tvlVariation30d = max(state.tvlVariation30d ?? 0, variation)
            }
            if let utilization = last.utilization {
                state.utilization = max(state.utilization ?? 0, utilization)
            }
            let available = max(0, last.suppliedUSD - last.borrowedUSD)
            state.availableLiquidityUSD = min(state.availableLiquidityUSD ?? .infinity, available)
        }
        for series in prices where ["USDC", "USDT", "DAI"].contains(series.coin) {
            guard let point = series.points.last(where: { $0.at <= asOf }),
                  asOf.seconds - point.at.seconds <= 7 * 86_400 else { continue }
            state.lowestStablecoinPrice = min(state.lowestStablecoinPrice ?? .infinity, point.value)
        }
        return state
    }
}
