import SigningPolicy

/// Slippage of one leg of a rebalance, as a fraction of the amount traded: a fixed part by adapter class (the swap
/// between stablecoins, a pool's fee) plus price impact growing linearly with the trade's share of the market's
/// available liquidity.
///
/// Defaults: lending 1 bp + 0.1 × size/liquidity (moving 1 % of what can be withdrawn costs 0.1 bp more), stable LP
/// 4 bp + 0.5 × size/liquidity, volatile LP 30 bp + 1.0 × size/liquidity. A leg larger than the available liquidity
/// cannot be filled (slippage 1).
public struct SlippageModel: Sendable, Hashable {
    public struct Curve: Sendable, Hashable {
        public var fixed: Double
        public var impact: Double
        public init(fixed: Double, impact: Double) {
            self.fixed = fixed
            self.impact = impact
        }
    }

    public var curves: [SigningPolicy.AdapterClass: Curve]

    public init(curves: [SigningPolicy.AdapterClass: Curve] = [
        .lending: Curve(fixed: 0.0001, impact: 0.1),
        .stableLP: Curve(fixed: 0.0004, impact: 0.5),
        .volatileLP: Curve(fixed: 0.003, impact: 1.0),
    ]) {
        self.curves = curves
    }

    /// The slippage fraction of trading `amountUSD` against `liquidityUSD` in a market of `adapterClass`.
    public func fraction(adapterClass: SigningPolicy.AdapterClass, amountUSD: Double, liquidityUSD: Double)
        -> Double
    {
        guard amountUSD > 0 else { return 0 }
        guard liquidityUSD > amountUSD else { return 1 }
        let curve = curves[adapterClass] ?? Curve(fixed: 0.003, impact: 1.0)
        return min(1, curve.fixed + curve.impact * amountUSD / liquidityUSD)
    }
}
