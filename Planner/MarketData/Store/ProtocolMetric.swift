import SigningPolicy

/// One observation of a protocol market (the seed's `protocol_metrics` table). Rates are fractions.
public struct ProtocolMetric: Sendable, Hashable {
    public var timestamp: Timestamp
    /// The market id, for example `aave_v3_usdc_eth`.
    public var protocolID: String
    /// Supply APY as a fraction (0.0512 = 5.12 %).
    public var apy: Double?
    public var tvlUSD: Double?
    public var utilizationRate: Double?
    /// The 0–100 risk score, once the risk model has scored the market.
    public var riskScore: Int?
    /// What could be withdrawn now: supplied − borrowed, in USD.
    public var liquidityDepthUSD: Double?

    public init(timestamp: Timestamp, protocolID: String, apy: Double?, tvlUSD: Double?, utilizationRate: Double?,
                riskScore: Int? = nil, liquidityDepthUSD: Double?) {
        self.timestamp = timestamp
        self.protocolID = protocolID
        self.apy = apy
        self.tvlUSD = tvlUSD
        self.utilizationRate = utilizationRate
        self.riskScore = riskScore
        self.liquidityDepthUSD = liquidityDepthUSD
    }

    /// The metric an Aave snapshot gives for its hour.
    public init(_ snapshot: AaveSnapshot) {
        self.init(timestamp: snapshot.hour, protocolID: snapshot.market, apy: snapshot.supplyAPY,
                  tvlUSD: snapshot.tvlUSD, utilizationRate: snapshot.utilization,
                  liquidityDepthUSD: max(0, snapshot.suppliedUSD - snapshot.borrowedUSD))
    }
}
