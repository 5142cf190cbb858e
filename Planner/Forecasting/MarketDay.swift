/// One day of an Aave market: the means of its hourly snapshots (liquidations summed).
///
/// Rates are fractions (0.05 = 5 %). `supplyAPY` is the mean of the hourly lender variable rates converted to APY
/// with per-second compounding, as Aave's interface shows it (`AaveSnapshot.supplyAPY`). A day with no usable
/// snapshot is carried forward from the day before with `observed` false: such days are never scored or
/// used as a target.
public struct MarketDay: Sendable, Equatable {
    public var day: CivilDay
    public var observed: Bool
    public var supplyAPY: Double
    /// Lenders' variable APR (fraction).
    public var supplyAPR: Double
    /// Borrowers' variable APR (fraction).
    public var borrowAPR: Double
    /// Borrowed over supplied.
    public var utilization: Double
    public var tvlUSD: Double
    public var suppliedUSD: Double
    public var borrowedUSD: Double
    public var liquidationsUSD: Double
    /// The token price the snapshots imply (TVL over token balance), nil when it cannot be computed.
    public var impliedPrice: Double?

    public init(
        day: CivilDay, observed: Bool = true, supplyAPY: Double, supplyAPR: Double, borrowAPR: Double,
        utilization: Double, tvlUSD: Double = 0, suppliedUSD: Double = 0, borrowedUSD: Double = 0,
        liquidationsUSD: Double = 0, impliedPrice: Double? = nil
    ) {
        self.day = day
        self.observed = observed
        self.supplyAPY = supplyAPY
        self.supplyAPR = supplyAPR
        self.borrowAPR = borrowAPR
        self.utilization = utilization
        self.tvlUSD = tvlUSD
        self.suppliedUSD = suppliedUSD
        self.borrowedUSD = borrowedUSD
        self.liquidationsUSD = liquidationsUSD
        self.impliedPrice = impliedPrice
    }
}
