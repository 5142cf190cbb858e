import MarketData
import Risk
import SigningPolicy

/// The risk step of a cycle: the 5-factor score of every protocol at the market time, and the seed's
/// kill-switch conditions (§3.3) that hold now: a stablecoin beyond its peg's kill level, or a held market with
/// utilisation above 95 % or TVL down more than 30 % in 24 h.
public struct RiskAssessment: Sendable {
    /// One protocol's score.
    public struct Score: Sendable, Hashable {
        public var protocolID: String
        public var marketsPrefix: String
        public var total: Double
        public var tier: String
    }

    public var scores: [Score]
    /// Every kill-switch condition met at the market time, in words; empty when none.
    public var exitReasons: [String]

    public init(scores: [Score], exitReasons: [String]) {
        self.scores = scores
        self.exitReasons = exitReasons
    }

    /// Whether the risk engine says: engage the kill switch and exit to the safe haven.
    public var demandsExit: Bool { !exitReasons.isEmpty }

    /// The score of the protocol a market belongs to (by the facts' market prefix), nil if none claims it.
    public func score(market: String) -> Score? {
        scores.filter { !$0.marketsPrefix.isEmpty && market.hasPrefix($0.marketsPrefix) }
            .max { $0.marketsPrefix.count < $1.marketsPrefix.count }
    }

    /// Scores `view` with `facts`; `heldMarkets` are the market ids the portfolio may hold (their utilisation and
    /// TVL are checked).
    public static func assess(view: MarketView, facts: ProtocolFacts, heldMarkets: [String],
                              condition: KillSwitchCondition = KillSwitchCondition()) -> RiskAssessment {
        let now = view.marketTime
        let scores = facts.protocols.map { entry -> Score in
            let state = view.aave.state(prefix: entry.marketsPrefix, asOf: now, prices: view.prices)
            let score = ProtocolRiskScore(facts: entry, state: state, asOf: now)
            return Score(protocolID: entry.id, marketsPrefix: entry.marketsPrefix, total: score.total,
                         tier: score.tier)
        }
        var reasons: [String] = []
        // Peg: the latest price of each stablecoin series, if it is at most 26 h old (a daily row, or a Chainlink
        // round carried forward), beyond the coin's kill level.
        for series in view.prices where ["USDC", "USDT", "DAI"].contains(series.coin) {
            guard let point = series.points.last, now.seconds - point.at.seconds <= 26 * 3_600 else { continue }
            let threshold = PegThreshold.forCoin(series.coin)
            if threshold.severity(of: point.value) == .critical {
                reasons.append("\(series.coin) at \(rounded(point.value, 4)) on \(series.source.rawValue) "
                               + "(\(series.market), \(point.at.rfc3339)) is beyond its kill level "
                               + "\(threshold.killBelow)")
            }
        }
        for market in heldMarkets {
            guard let rows = view.aave.snapshots[market], let last = rows.last,
                  now.seconds - last.hour.seconds <= 26 * 3_600 else { continue }
            let dayAgo = rows.last { $0.hour.seconds <= last.hour.seconds - 23 * 3_600 }
            let utilization = last.utilization
            if condition.isMet(utilization: utilization, tvl: last.tvlUSD, tvlDayAgo: dayAgo?.tvlUSD,
                               lowestStablecoin: nil) {
                let drop = dayAgo.map { 1 - last.tvlUSD / max($0.tvlUSD, 1) } ?? 0
                reasons.append("\(market): utilisation \(rounded((utilization ?? 0) * 100, 1)) %, TVL change in 24 h "
                               + "\(rounded(-drop * 100, 1)) % (limits \(Int(condition.maximumUtilization * 100)) %, "
                               + "−\(Int(condition.maximumTVLDrop * 100)) %)")
            }
        }
        return RiskAssessment(scores: scores, exitReasons: reasons)
    }

    static func rounded(_ value: Double, _ places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
