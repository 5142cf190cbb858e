import SigningPolicy

/// Track record (seed §3.1.5, weight 5 %): 30 per incident with losses, +40 if losses > $10M (+20 if > $1M),
/// +20 if less than half was recovered; capped at 100.
public struct TrackRecordRiskFactor: RiskFactor {
    public init() {}
    public var name: String { "track_record" }
    public var weight: Double { 0.05 }

    public func score(_ facts: ProtocolFacts.Entry, state: ProtocolMarketState, asOf: Timestamp) -> FactorScore {
        let losses = facts.incidents.filter { $0.lostUSD > 0 }
        let lost = losses.reduce(0.0) { $0 + $1.lostUSD }
        var score = Double(losses.count) * 30
        score += lost > 10_000_000 ? 40 : lost > 1_000_000 ? 20 : 0
        let unrecovered = losses.filter { !$0.recovered }.reduce(0.0) { $0 + $1.lostUSD }
        if lost > 0, unrecovered / lost > 0.5 { score += 20 }
        return FactorScore(factor: name, weight: weight, score: min(score, 100),
                           reason: "\(losses.count) incidents with losses, $\(Int(lost)) lost")
    }
}
