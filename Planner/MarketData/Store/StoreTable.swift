/// The tables of a `MarketStore`: one per history kind, and the seed's three (protocol metrics, portfolio
/// snapshots, risk alerts). Raw values are the table names.
///
/// Each table has a natural unique key, so writing the same rows twice stores them once:
/// Aave (market, hour), Chainlink (feed, round id), prices (symbol, ms), Uniswap (pool, hour),
/// Etherscan (series, day), Compound (symbol, day), incidents (content, occurrence),
/// protocol metrics (timestamp, protocol), portfolio snapshots (timestamp), risk alerts (timestamp, protocol, type).
public enum StoreTable: String, Sendable, CaseIterable, Codable {
    case aaveSnapshots = "aave_snapshots"
    case chainlinkRounds = "chainlink_rounds"
    case pricePoints = "price_points"
    case uniswapPoolStates = "uniswap_pool_states"
    case etherscanDailyValues = "etherscan_daily_values"
    case compoundMarketDays = "compound_market_days"
    case incidents
    case protocolMetrics = "protocol_metrics"
    case portfolioSnapshots = "portfolio_snapshots"
    case riskAlerts = "risk_alerts"

    /// The table rows of a history kind go to.
    public init(_ kind: HistoryKind) {
        switch kind {
        case .aave: self = .aaveSnapshots
        case .chainlink: self = .chainlinkRounds
        case .prices: self = .pricePoints
        case .uniswap: self = .uniswapPoolStates
        case .etherscanDaily: self = .etherscanDailyValues
        case .compound: self = .compoundMarketDays
        case .incidents: self = .incidents
        }
    }
}
