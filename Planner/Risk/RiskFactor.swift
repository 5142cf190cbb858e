import SigningPolicy

/// One factor of the seed's 5-factor protocol risk score: a name, its weight, and a sub-score in 0…100
/// (higher = riskier) with a one-line reason.
public protocol RiskFactor: Sendable {
    var name: String { get }
    var weight: Double { get }
    func score(_ facts: ProtocolFacts.Entry, state: ProtocolMarketState, asOf: Timestamp) -> FactorScore
}
