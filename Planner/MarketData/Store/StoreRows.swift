/// A batch of rows for one table of a `MarketStore`.
public enum StoreRows: Sendable {
    case aaveSnapshots([AaveSnapshot])
    case chainlinkRounds([ChainlinkRound])
    case pricePoints([PricePoint])
    case uniswapPoolStates([UniswapPoolState])
    case etherscanDailyValues([EtherscanDailyValue])
    case compoundMarketDays([CompoundMarketDay])
    case incidents([Incident])
    case protocolMetrics([ProtocolMetric])
    case portfolioSnapshots([PortfolioSnapshot])
    case riskAlerts([RiskAlert])

    /// The table these rows go to.
    public var table: StoreTable {
        switch self {
        case .aaveSnapshots: .aaveSnapshots
        case .chainlinkRounds: .chainlinkRounds
        case .pricePoints: .pricePoints
        case .uniswapPoolStates: .uniswapPoolStates
        case .etherscanDailyValues: .etherscanDailyValues
        case .compoundMarketDays: .compoundMarketDays
        case .incidents: .incidents
        case .protocolMetrics: .protocolMetrics
        case .portfolioSnapshots: .portfolioSnapshots
        case .riskAlerts: .riskAlerts
        }
    }

    public var count: Int {
        switch self {
        case .aaveSnapshots(let rows): rows.count
        case .chainlinkRounds(let rows): rows.count
        case .pricePoints(let rows): rows.count
        case .uniswapPoolStates(let rows): rows.count
        case .etherscanDailyValues(let rows): rows.count
        case .compoundMarketDays(let rows): rows.count
        case .incidents(let rows): rows.count
        case .protocolMetrics(let rows): rows.count
        case .portfolioSnapshots(let rows): rows.count
        case .riskAlerts(let rows): rows.count
        }
    }
}
