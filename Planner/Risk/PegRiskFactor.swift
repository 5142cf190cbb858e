import SigningPolicy

/// Stablecoin peg risk (seed §3.1.3, weight 20 %): the lowest price among the protocol's stablecoins, deviation
/// < 0.5 % → 0, < 1 % → 30, < 2 % → 70, else 100. No price → 50 (unknown).
public struct PegRiskFactor: RiskFactor {
    public init() {}
    public var name: String { "peg" }
    public var weight: Double { 0.20 }

    public func score(_ facts: ProtocolFacts.Entry, state: ProtocolMarketState, asOf: Timestamp) -> FactorScore {
        guard let price = state.lowestStablecoinPrice else {
            return FactorScore(factor: name, weight: weight, score: 50, reason: "no stablecoin price: unknown")
        }
        let deviation = abs(price - 1)
        let score = deviation < 0.005 ? 0.0 : deviation < 0.01 ? 30 : deviation < 0.02 ? 70 : 100
        return FactorScore(factor: name, weight: weight, score: score,
                           reason: "lowest stablecoin price \(PegMonitor.format(price))")
    }
}
