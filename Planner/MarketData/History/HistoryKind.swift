/// The kinds of history file in a data directory laid out like `../shared/data`.
public enum HistoryKind: String, Sendable, CaseIterable, Codable {
    /// `aave/*.csv`: `AaveSnapshot` rows.
    case aave
    /// `chainlink/*.csv`: `ChainlinkRound` rows.
    case chainlink
    /// `prices/*_usd.csv`: `PricePoint` rows.
    case prices
    /// `uniswap/*.csv`: `UniswapPoolState` rows.
    case uniswap
    /// `gas/*.csv` and `compound/etherscan_*.csv`: `EtherscanDailyValue` rows.
    case etherscanDaily = "etherscan_daily"
    /// `compound/compound_*.csv`: `CompoundMarketDay` rows.
    case compound
    /// `incidents/*.json`: `Incident` entries.
    case incidents

    /// The kind of the file at `path` relative to the data directory (`aave/aave_v3_usdc_eth.csv`), nil if the
    /// layout has no place for it.
    public init?(relativePath path: String) {
        let parts = path.split(separator: "/")
        guard parts.count == 2 else { return nil }
        let (folder, file) = (parts[0], parts[1])
        switch folder {
        case "aave" where file.hasSuffix(".csv"): self = .aave
        case "chainlink" where file.hasSuffix(".csv"): self = .chainlink
        case "prices" where file.hasSuffix("_usd.csv"): self = .prices
        case "uniswap" where file.hasSuffix(".csv"): self = .uniswap
        case "gas" where file.hasSuffix(".csv"): self = .etherscanDaily
        case "compound" where file.hasPrefix("compound_") && file.hasSuffix(".csv"): self = .compound
        case "compound" where file.hasPrefix("etherscan_") && file.hasSuffix(".csv"): self = .etherscanDaily
        case "incidents" where file.hasSuffix(".json"): self = .incidents
        default: return nil
        }
    }
}
