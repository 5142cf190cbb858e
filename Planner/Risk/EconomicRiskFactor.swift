import SigningPolicy

/// Economic risk (seed §3.1.2, weight 25 %): TVL variation over 30 days (< 10 % → 5, < 30 % → 20, else 40 points)
/// plus utilisation (70–85 % → 5, > 95 % → 30, else 15) plus liquidation proximity (0–30; no data, so the middle,
/// 15). A protocol without series scores 50 (unknown, not safe).
public struct EconomicRiskFactor: RiskFactor {
    public init() {}
    public var name: String { "economic" }
    public var weight: Double { 0.25 }

    public func score(_ facts: ProtocolFacts.Entry, state: ProtocolMarketState, asOf: Timestamp) -> FactorScore {
        guard let variation = state.tvlVariation30d else {
            return FactorScore(factor: name, weight: weight, score: 50, reason: "no TVL series: unknown")
        }
        let tvl = variation < 0.1 ? 5.0 : variation < 0.3 ? 20 : 40
        var utilizationPoints = 15.0
        if let utilization = state.utilization {
            utilizationPoints = (0.7...0.85).contains(utilization) ? 5 : utilization > 0.95 ? 30 : 15
        }
        let liquidation = 15.0
        let percent = { (value: Double) in "\(Int((value * 100).rounded())) %" }
        return FactorScore(factor: name, weight: weight, score: tvl + utilizationPoints + liquidation,
                           reason: "TVL variation \(percent(variation)), utilisation "
                               + (state.utilization.map(percent) ?? "n/a") + ", liquidation proximity unknown (15)")
    }
}
