import SigningPolicy

/// A protocol's 5-factor risk score: Σ weight × sub-score (0…100) and the seed's tier (LOW < 30 ≤ MEDIUM < 70 ≤
/// HIGH).
public struct ProtocolRiskScore: Sendable, Hashable {
    public var protocolID: String
    public var total: Double
    public var factors: [FactorScore]

    public static let factors: [any RiskFactor] = [
        ContractRiskFactor(), EconomicRiskFactor(), PegRiskFactor(), LiquidityRiskFactor(), TrackRecordRiskFactor(),
    ]

    public init(facts: ProtocolFacts.Entry, state: ProtocolMarketState, asOf: Timestamp,
                factors: [any RiskFactor] = ProtocolRiskScore.factors) {
        protocolID = facts.id
        self.factors = factors.map { $0.score(facts, state: state, asOf: asOf) }
        total = self.factors.reduce(0) { $0 + $1.weight * $1.score }
    }

    public var tier: String { total < 30 ? "LOW" : total < 70 ? "MEDIUM" : "HIGH" }
}
