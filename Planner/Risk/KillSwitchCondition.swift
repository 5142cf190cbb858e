/// The seed's kill-switch conditions (§3.3.1) the early-warning classifier predicts: utilisation above 95 %,
/// a stablecoin below 0.98, or TVL down more than 30 % in 24 h.
public struct KillSwitchCondition: Sendable, Hashable {
    public var maximumUtilization: Double
    public var minimumStablecoinPrice: Double
    public var maximumTVLDrop: Double

    public init(maximumUtilization: Double = 0.95, minimumStablecoinPrice: Double = 0.98,
                maximumTVLDrop: Double = 0.30) {
        self.maximumUtilization = maximumUtilization
        self.minimumStablecoinPrice = minimumStablecoinPrice
        self.maximumTVLDrop = maximumTVLDrop
    }

    /// Whether a market's hour meets a condition; `tvlDayAgo` nil when the hour 24 h before is missing and
    /// `lowestStablecoin` nil when no stablecoin price is known for the hour.
    public func isMet(utilization: Double?, tvl: Double, tvlDayAgo: Double?, lowestStablecoin: Double?) -> Bool {
        if let utilization, utilization > maximumUtilization { return true }
        if let lowestStablecoin, lowestStablecoin < minimumStablecoinPrice { return true }
        if let tvlDayAgo, tvlDayAgo > 0, tvl < tvlDayAgo * (1 - maximumTVLDrop) { return true }
        return false
    }
}
