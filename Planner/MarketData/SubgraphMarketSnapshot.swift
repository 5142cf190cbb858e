import BigInt
import SigningPolicy

/// One hour of one lending market from a Messari-schema subgraph (`marketHourlySnapshots`): the fields the Aave
/// history files were built from (`TVL_USD` = `totalValueLockedUSD`, `supplied_USD` = `totalDepositBalanceUSD`,
/// `borrowed_USD` = `totalBorrowBalanceUSD`, `liquidations` = `hourlyLiquidateUSD`, `token_balance` =
/// `inputTokenBalance`, the four APR columns = `rates`).
public struct SubgraphMarketSnapshot: Hashable, Sendable {
    /// The snapshot entity id.
    public var id: String
    /// The market entity id, lower-cased (for Aave, an address).
    public var market: String
    /// The block timestamp of the last update within the hour.
    public var timestamp: Timestamp
    public var blockNumber: UInt64
    public var totalValueLockedUSD: Double
    public var totalDepositBalanceUSD: Double
    public var totalBorrowBalanceUSD: Double
    public var hourlyLiquidateUSD: Double
    /// The market's balance of its input token, in the token's smallest unit.
    public var inputTokenBalance: BigUInt
    public var inputTokenPriceUSD: Double
    public var rates: [SubgraphRate]

    public init(
        id: String, market: String, timestamp: Timestamp, blockNumber: UInt64, totalValueLockedUSD: Double,
        totalDepositBalanceUSD: Double, totalBorrowBalanceUSD: Double, hourlyLiquidateUSD: Double,
        inputTokenBalance: BigUInt, inputTokenPriceUSD: Double, rates: [SubgraphRate]
    ) {
        self.id = id
        self.market = market
        self.timestamp = timestamp
        self.blockNumber = blockNumber
        self.totalValueLockedUSD = totalValueLockedUSD
        self.totalDepositBalanceUSD = totalDepositBalanceUSD
        self.totalBorrowBalanceUSD = totalBorrowBalanceUSD
        self.hourlyLiquidateUSD = hourlyLiquidateUSD
        self.inputTokenBalance = inputTokenBalance
        self.inputTokenPriceUSD = inputTokenPriceUSD
        self.rates = rates
    }

    /// The APR in percent for one side and kind, if the snapshot has it.
    public func ratePercent(_ side: SubgraphRate.Side, _ kind: SubgraphRate.Kind) -> Double? {
        rates.first { $0.side == side && $0.kind == kind }?.ratePercent
    }

    /// Borrowed over supplied, nil when nothing is supplied.
    public var utilization: Double? {
        totalDepositBalanceUSD > 0 ? totalBorrowBalanceUSD / totalDepositBalanceUSD : nil
    }
}
