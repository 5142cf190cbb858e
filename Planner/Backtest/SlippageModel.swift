import SigningPolicy

/// Slippage of one leg of a rebalance, as a fraction of the amount traded: a fixed part by adapter class (the swap
/// between stablecoins, a pool's fee) plus price impact growing linearly with the trade's share of the liquidity it
/// trades against.
///
/// What that liquidity is depends on the class (the simulator passes it): a lending deposit or withdrawal is 1:1,
/// so its cost is the stablecoin swap around it, sized against `swapDepthUSD` (a deep stablecoin pool), and a
/// withdrawal larger than the market's available liquidity (supplied − borrowed) cannot be filled at all; an LP
/// position trades against its pool, whose depth is the market's TVL.
///
/// Defaults: lending 1 bp + 0.005 × size/depth ($1M through a $50M-deep pool: 1.1 bp), stable LP 4 bp + 0.05 ×
/// size/TVL (1 % of the pool: 4.5 bp), volatile LP 30 bp + 1.0 × size/TVL. A leg that cannot be filled has
/// slippage 1.
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
    /// The depth of the stablecoin swap a lending leg goes through, in USD.
    public var swapDepthUSD: Double

    public init(curves: [SigningPolicy.AdapterClass: Curve] = [
        .lending: Curve(fixed: 0.0001, impact: 0.005),
        .stableLP: Curve(fixed: 0.0004, impact: 0.05),
        .volatileLP: Curve(fixed: 0.003, impact: 1.0),
    ], swapDepthUSD: Double = 50_000_000) {
        self.curves = curves
        self.swapDepthUSD = swapDepthUSD
    }

    /// The slippage of moving `amountUSD` into (`isWithdrawal` false) or out of a market of `adapterClass` whose
    /// TVL and available liquidity are given.
    public func fraction(adapterClass: SigningPolicy.AdapterClass, amountUSD: Double, isWithdrawal: Bool,
                         tvlUSD: Double, availableLiquidityUSD: Double) -> Double {
        if isWithdrawal && amountUSD > availableLiquidityUSD { return 1 }
        let depth = adapterClass == .lending ? swapDepthUSD : tvlUSD
        return fraction(adapterClass: adapterClass, amountUSD: amountUSD, liquidityUSD: depth)
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
