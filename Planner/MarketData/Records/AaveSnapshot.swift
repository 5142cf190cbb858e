import Foundation
import SigningPolicy

/// One hourly snapshot of an Aave market (Messari subgraph `marketHourlySnapshots`), one row of `aave/<market>.csv`.
///
/// Rates are APR in percent, as in the files (3.38 means 3.38 %); empty rate cells (the launch hours) are nil.
public struct AaveSnapshot: CSVRecord, Hashable {
    /// The file stem, for example `aave_v3_usdc_eth`.
    public var market: String
    /// The hour the snapshot stands for (`datetime_utc`).
    public var hour: Timestamp
    /// When the market last changed before the snapshot (`timestamp`, to the second).
    public var updatedAt: Timestamp
    public var block: Int64
    public var tvlUSD: Double
    public var suppliedUSD: Double
    public var borrowedUSD: Double
    public var liquidationsUSD: Double
    /// The market's token balance in the token's smallest unit.
    public var tokenBalance: Double
    public var lenderVariableAPR: Double?
    public var lenderStableAPR: Double?
    public var borrowerVariableAPR: Double?
    public var borrowerStableAPR: Double?

    public static let columns = [
        "datetime_utc", "timestamp", "block", "TVL_USD", "supplied_USD", "borrowed_USD", "liquidations",
        "token_balance", "lender_variable_apr", "lender_stable_apr", "borrower_variable_apr", "borrower_stable_apr",
    ]

    public init(fields f: [String], stem: String) throws(RowError) {
        guard let hour = UTCDate.parseDateTime(f[0]) else {
            throw RowError("datetime_utc: not YYYY-MM-DD HH:MM:SS: \(CSVCell.quoted(f[0]))")
        }
        self.market = stem
        self.hour = hour
        // A few rows carry a fractional second (`1643288305.5`); the store keeps whole seconds.
        let updated = try CSVCell.nonNegative(f[1], "timestamp")
        guard updated < 1e15 else { throw RowError("timestamp: out of range: \(CSVCell.quoted(f[1]))") }
        self.updatedAt = Timestamp(seconds: Int64(updated.rounded(.down)))
        self.block = try CSVCell.wholeNumber(f[2], "block")
        self.tvlUSD = try CSVCell.nonNegative(f[3], "TVL_USD")
        self.suppliedUSD = try CSVCell.nonNegative(f[4], "supplied_USD")
        self.borrowedUSD = try CSVCell.nonNegative(f[5], "borrowed_USD")
        self.liquidationsUSD = try CSVCell.nonNegative(f[6], "liquidations")
        self.tokenBalance = try CSVCell.nonNegative(f[7], "token_balance")
        self.lenderVariableAPR = try CSVCell.optionalDouble(f[8], "lender_variable_apr")
        self.lenderStableAPR = try CSVCell.optionalDouble(f[9], "lender_stable_apr")
        self.borrowerVariableAPR = try CSVCell.optionalDouble(f[10], "borrower_variable_apr")
        self.borrowerStableAPR = try CSVCell.optionalDouble(f[11], "borrower_stable_apr")
    }

    /// The market's token symbol from its id (`aave_v3_usdc_eth` → `usdc`), nil if the id has another shape.
    public var token: String? {
        let parts = market.split(separator: "_")
        return parts.count == 4 && parts[0] == "aave" ? String(parts[2]) : nil
    }

    /// The token's decimals: 6 for USDC and USDT, 18 for DAI, WETH and USDe; nil for another token.
    public var tokenDecimals: Int? {
        switch token {
        case "usdc", "usdt": 6
        case "dai", "weth", "usde": 18
        default: nil
        }
    }

    /// Borrowed over supplied, nil for an empty market.
    public var utilization: Double? { suppliedUSD > 0 ? borrowedUSD / suppliedUSD : nil }

    /// The token price the snapshot implies, `TVL_USD / (token_balance / 10^decimals)`; nil for an empty market
    /// or unknown decimals. Aave v3 USDC falls to 0.883 on 2023-03-11 (v2 is pinned at 1 by its oracle).
    public var impliedPrice: Double? {
        guard let decimals = tokenDecimals, tokenBalance > 0 else { return nil }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return tvlUSD / (tokenBalance / scale)
    }

    /// The lenders' variable rate as an APY fraction, compounding per second as Aave's interface shows it.
    public var supplyAPY: Double? {
        lenderVariableAPR.map { AaveSnapshot.apy(fromPercentAPR: $0) }
    }

    /// `(1 + APR / s)^s − 1` with `s` the seconds in a year, for an APR in percent.
    public static func apy(fromPercentAPR percent: Double) -> Double {
        let secondsPerYear = 31_536_000.0
        return expm1(secondsPerYear * log1p(percent / 100 / secondsPerYear))
    }
}
