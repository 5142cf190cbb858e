/// One interest rate of a market snapshot, as the Messari lending schema's `InterestRate`: an APR in percent
/// (3.38 means 3.38 % a year, not compounded) for one side of the market and one rate type.
public struct SubgraphRate: Hashable, Sendable {
    /// Who the rate applies to (`InterestRateSide`).
    public enum Side: String, Sendable, CaseIterable {
        case lender = "LENDER"
        case borrower = "BORROWER"
    }

    /// How the rate behaves (`InterestRateType`).
    public enum Kind: String, Sendable, CaseIterable {
        case variable = "VARIABLE"
        case stable = "STABLE"
        case fixed = "FIXED"
    }

    public var side: Side
    public var kind: Kind
    /// APR in percent.
    public var ratePercent: Double

    public init(side: Side, kind: Kind, ratePercent: Double) {
        self.side = side
        self.kind = kind
        self.ratePercent = ratePercent
    }
}
