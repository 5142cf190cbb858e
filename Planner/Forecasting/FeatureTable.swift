import Foundation

/// The per-day feature vectors of every market: the seed's feature groups where the data holds them
/// (see FEATURES.md). A value the data cannot give for a day is NaN, never filled in.
///
/// Every feature of day `t` uses only days `≤ t`.
public enum FeatureTable {
    /// Feature names in vector order.
    public static let names: [String] = [
        "apy", "apy_mean_7d", "apy_std_30d", "weekday_sin", "weekday_cos", "apy_change_1d", "apy_trend_7d_30d",
        "log_tvl_usd", "tvl_change_7d", "utilization", "utilization_change_7d", "borrow_apr", "reserve_factor",
        "log_revenue_usd_per_day", "log_gas_gwei", "eth_volatility_30d", "eth_momentum_7d",
        "stablecoin_supply_change_7d", "apy_minus_sibling", "sibling_supply_change_7d", "log_liquidations_usd",
        "apy_mean_30d",
    ]

    /// The feature vectors, indexed `[market][day index][feature]`.
    public static func compute(series: [MarketSeries], context: MarketContext) -> [[[Double]]] {
        let stable: Set<String> = ["usdc", "usdt", "dai", "usde"]
        var stableSupply: [Int: Double] = [:]
        for s in series where stable.contains(token(s.market)) {
            for d in s.days where d.observed { stableSupply[d.day.number, default: 0] += d.suppliedUSD }
        }
        var ethLogReturn: [Int: Double] = [:]
        for (day, price) in context.ethUSD {
            if let before = context.ethUSD[day - 1], before > 0, price > 0 { ethLogReturn[day] = log(price / before) }
        }
        return series.map { s in
            let sibling = series.first { $0.market != s.market && token($0.market) == token(s.market) }
            return s.days.indices.map { t in
                vector(s, t, sibling: sibling, context: context, stableSupply: stableSupply, ethLogReturn: ethLogReturn)
            }
        }
    }

    static func token(_ market: String) -> String {
        let parts = market.split(separator: "_")
        return parts.count >= 3 ? String(parts[2]) : market
    }

    private static func vector(
        _ s: MarketSeries, _ t: Int, sibling: MarketSeries?, context: MarketContext, stableSupply: [Int: Double],
        ethLogReturn: [Int: Double]
    ) -> [Double] {
        let days = s.days
        let d = days[t]
        let n = Double.nan
        func window(_ length: Int, _ value: (MarketDay) -> Double) -> [Double] {
            days[max(0, t - length + 1)...t].map(value)
        }
        func mean(_ v: [Double]) -> Double { v.isEmpty ? n : v.reduce(0, +) / Double(v.count) }
        func std(_ v: [Double]) -> Double {
            guard v.count > 1 else { return n }
            let m = mean(v)
            return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
        }
        func change(_ now: Double, _ before: Double) -> Double { before > 0 ? now / before - 1 : n }
        let week = t >= 7 ? days[t - 7] : nil
        let mean7 = mean(window(7, \.supplyAPY))
        let mean30 = mean(window(30, \.supplyAPY))
        let angle = 2 * Double.pi * Double(d.day.weekday) / 7
        let accrued = d.borrowAPR * d.utilization
        let reserveFactor = accrued > 1e-9 ? min(max(1 - d.supplyAPR / accrued, -1), 1) : n
        let revenue = reserveFactor.isNaN ? n : log1p(max(0, d.borrowedUSD * d.borrowAPR * reserveFactor / 365))
        let gas = context.gasGwei[d.day.number].map { log(max($0, 1e-3)) } ?? n
        var ethReturns: [Double] = []
        for day in (d.day.number - 29)...d.day.number { if let r = ethLogReturn[day] { ethReturns.append(r) } }
        let ethVol = ethReturns.count >= 20 ? std(ethReturns) : n
        let ethMomentum: Double = {
            guard let now = context.ethUSD[d.day.number], let then = context.ethUSD[d.day.number - 7], then > 0
            else { return n }
            return log(now / then)
        }()
        let stableChange: Double = {
            guard let now = stableSupply[d.day.number], let then = stableSupply[d.day.number - 7] else { return n }
            return change(now, then)
        }()
        var siblingGap = n
        var siblingFlow = n
        if let sibling, let j = sibling.index(of: d.day), sibling.days[j].observed {
            siblingGap = d.supplyAPY - sibling.days[j].supplyAPY
            if j >= 7 { siblingFlow = change(sibling.days[j].suppliedUSD, sibling.days[j - 7].suppliedUSD) }
        }
        return [
            d.supplyAPY, mean7, std(window(30, \.supplyAPY)), sin(angle), cos(angle),
            t >= 1 ? d.supplyAPY - days[t - 1].supplyAPY : n, mean7 - mean30,
            log1p(d.tvlUSD), week.map { change(d.tvlUSD, $0.tvlUSD) } ?? n, d.utilization,
            week.map { d.utilization - $0.utilization } ?? n, d.borrowAPR, reserveFactor, revenue, gas, ethVol,
            ethMomentum, stableChange, siblingGap, siblingFlow, log1p(d.liquidationsUSD), mean30,
        ]
    }
}
