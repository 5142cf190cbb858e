import SigningPolicy

/// Exit-liquidity risk (seed §3.1.4, weight 15 %) for a position of `positionUSD`: under 1 % of the withdrawable
/// liquidity → 0, under 5 % → 30, else 80. Slippage curves are not in the data, so the share stands in for them.
/// No liquidity figure → 50 (unknown).
public struct LiquidityRiskFactor: RiskFactor {
    public var positionUSD: Double

    public init(positionUSD: Double = 1_000_000) {
        self.positionUSD = positionUSD
    }

    public var name: String { "liquidity" }
    public var weight: Double { 0.15 }

    public func score(_ facts: ProtocolFacts.Entry, state: ProtocolMarketState, asOf: Timestamp) -> FactorScore {
        guard let available = state.availableLiquidityUSD, available > 0 else {
            return FactorScore(factor: name, weight: weight, score: 50, reason: "no liquidity series: unknown")
        }
        let share = positionUSD / available
        let score = share < 0.01 ? 0.0 : share < 0.05 ? 30 : 80
        return FactorScore(factor: name, weight: weight, score: score,
                           reason: "a $\(Int(positionUSD)) position is \((share * 10_000).rounded() / 100) % of "
                               + "withdrawable liquidity")
    }
}
