import Allocation
import Learning
import SigningPolicy

/// The training simulator's market: synthetic paths calibrated on real history.
///
/// A path of `days` steps is a block bootstrap of the real panel: blocks of `blockLength` consecutive steps
/// taken at random from the history, all markets (and gas and ETH) together, so cross-market correlation and
/// rate persistence inside a block are the real ones. With probability `shockProbability` a real de-peg episode
/// (a window of the history where some coin's price fell below `depegThreshold`) is laid over the path at a
/// random step, on the coin of a randomly chosen market: the episode's price deviations, as they happened.
public struct MarketPathSampler: Sendable {
    public let history: MarketPanel
    public var days: Int
    public var blockLength: Int
    public var shockProbability: Double
    /// The real de-peg episodes found in `history`: price deviation from 1 per step.
    public let shocks: [[Double]]

    public static let depegThreshold = 0.985

    public init(history: MarketPanel, days: Int = 90, blockLength: Int = 20, shockProbability: Double = 0) {
        precondition(history.stepCount > blockLength + 1 && blockLength > 0 && days > 1, "history too short")
        self.history = history
        self.days = days
        self.blockLength = blockLength
        self.shockProbability = shockProbability
        shocks = Self.depegEpisodes(history)
    }

    /// Windows (from 3 steps before the first step under the threshold to 7 steps after the last) of the market
    /// with the lowest price, as price − 1 per step.
    public static func depegEpisodes(_ panel: MarketPanel) -> [[Double]] {
        var episodes: [[Double]] = []
        var t = 0
        while t < panel.stepCount {
            let low = (0..<panel.marketCount).filter {
                let q = panel.quote(step: t, market: $0)
                return q.isAvailable && q.price < depegThreshold
            }
            let price = { (m: Int) in panel.quote(step: t, market: m).price }
            guard let m = low.min(by: { price($0) < price($1) }) else { t += 1; continue }
            var end = t
            while end + 1 < panel.stepCount, panel.quote(step: end + 1, market: m).price < depegThreshold { end += 1 }
            let first = max(0, t - 3)
            let last = min(panel.stepCount - 1, end + 7)
            episodes.append((first...last).map { s in
                let q = panel.quote(step: s, market: m)
                return q.isAvailable ? q.price - 1 : 0
            })
            t = last + 1
        }
        return episodes
    }

    /// One synthetic path; `withoutGas` zeroes the gas price (curriculum stage 1).
    public func sample(using generator: inout SeededGenerator, withoutGas: Bool = false) -> MarketPanel {
        let n = history.marketCount
        var quotes: [MarketQuote] = []
        quotes.reserveCapacity(days * n)
        var gas: [Double] = []
        var eth: [Double] = []
        while gas.count < days {
            let start = Int(generator.nextUniform() * Double(history.stepCount - blockLength))
            for s in start..<(start + blockLength) where gas.count < days {
                for m in 0..<n { quotes.append(history.quote(step: s, market: m)) }
                gas.append(withoutGas ? 0 : history.gasPriceWei[s])
                eth.append(history.ethPriceUSD[s])
            }
        }
        if !shocks.isEmpty, generator.nextUniform() < shockProbability {
            let shock = shocks[Int(generator.nextUniform() * Double(shocks.count)) % shocks.count]
            let victim = history.markets[Int(generator.nextUniform() * Double(n)) % n].token
            let offset = Int(generator.nextUniform() * Double(max(1, days - shock.count)))
            for (i, deviation) in shock.enumerated() where offset + i < days {
                for m in 0..<n where history.markets[m].token == victim {
                    quotes[(offset + i) * n + m].price = 1 + deviation
                }
            }
        }
        let origin = history.times[0].seconds
        let times = (0..<days).map { Timestamp(seconds: origin + Int64($0) * history.stepSeconds) }
        return MarketPanel(markets: history.markets, times: times, stepSeconds: history.stepSeconds, quotes: quotes,
                           gasPriceWei: gas, ethPriceUSD: eth)
    }
}
