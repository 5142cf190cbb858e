import MarketData

/// A market's daily series, one entry per calendar day from its first usable day to its last.
public struct MarketSeries: Sendable {
    /// The market id: the history file's stem, for example `aave_v3_usdc_eth`.
    public let market: String
    /// Consecutive days; index `i` is `firstDay + i`.
    public let days: [MarketDay]

    /// Takes days in any order; fills the gaps by carrying the previous day forward with `observed` false.
    public init(market: String, days input: [MarketDay]) {
        self.market = market
        let sorted = input.sorted { $0.day < $1.day }
        var filled: [MarketDay] = []
        for day in sorted {
            if let last = filled.last {
                if day.day <= last.day { continue }
                var gap = last.day + 1
                while gap < day.day {
                    var copy = last
                    copy.day = gap
                    copy.observed = false
                    copy.liquidationsUSD = 0
                    filled.append(copy)
                    gap = gap + 1
                }
            }
            filled.append(day)
        }
        days = filled
    }

    /// Daily means of hourly snapshots. Hours without a lender rate or with nothing supplied (the launch hours)
    /// are left out.
    public init(market: String, snapshots: [AaveSnapshot]) {
        var sums: [Int: (n: Double, apy: Double, apr: Double, borrow: Double, u: Double, tvl: Double,
                         supplied: Double, borrowed: Double, liquidations: Double, price: Double, priced: Double)] = [:]
        for s in snapshots {
            guard let apr = s.lenderVariableAPR, let apy = s.supplyAPY, let u = s.utilization else { continue }
            let day = Int((s.hour.seconds >= 0 ? s.hour.seconds : s.hour.seconds - 86_399) / 86_400)
            var e = sums[day] ?? (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            e.n += 1
            e.apy += apy
            e.apr += apr / 100
            e.borrow += (s.borrowerVariableAPR ?? 0) / 100
            e.u += u
            e.tvl += s.tvlUSD
            e.supplied += s.suppliedUSD
            e.borrowed += s.borrowedUSD
            e.liquidations += s.liquidationsUSD
            if let p = s.impliedPrice, p.isFinite, p > 0 {
                e.price += p
                e.priced += 1
            }
            sums[day] = e
        }
        let days = sums.map { day, e in
            MarketDay(day: CivilDay(number: day), supplyAPY: e.apy / e.n, supplyAPR: e.apr / e.n,
                      borrowAPR: e.borrow / e.n, utilization: e.u / e.n, tvlUSD: e.tvl / e.n,
                      suppliedUSD: e.supplied / e.n, borrowedUSD: e.borrowed / e.n, liquidationsUSD: e.liquidations,
                      impliedPrice: e.priced > 0 ? e.price / e.priced : nil)
        }
        self.init(market: market, days: days)
    }

    public var firstDay: CivilDay? { days.first?.day }

    /// The index of `day`, nil outside the series.
    public func index(of day: CivilDay) -> Int? {
        guard let first = firstDay else { return nil }
        let i = day.number - first.number
        return days.indices.contains(i) ? i : nil
    }

    /// The target at `index`: the mean supply APY over days `index+1 … index+horizon`; nil unless all those days
    /// are in the series and observed.
    public func target(at index: Int, horizon: Int = Forecasting.horizon) -> Double? {
        guard index >= 0, index + horizon < days.count else { return nil }
        var sum = 0.0
        for i in (index + 1)...(index + horizon) {
            guard days[i].observed else { return nil }
            sum += days[i].supplyAPY
        }
        return sum / Double(horizon)
    }
}
