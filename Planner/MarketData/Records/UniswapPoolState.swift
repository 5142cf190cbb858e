import Foundation
import SigningPolicy

/// The hourly state of a Uniswap v3 pool, one row of `uniswap/<pool>.csv`.
public struct UniswapPoolState: CSVRecord, Hashable {
    /// The file stem, for example `usdc_usdt_1bp_hourly`.
    public var pool: String
    public var hour: Timestamp
    public var timestamp: Timestamp
    public var block: Int64
    public var tick: Int64
    /// Active liquidity as decimal digits (a uint128 on chain).
    public var liquidity: String
    public var tickSpacing: Int64
    public var token0: String
    public var token1: String
    public var decimals0: Int64
    public var decimals1: Int64

    public static let columns = [
        "hour", "timestamp", "block", "poolTick", "poolLiquidity", "tickSpacing", "token0", "token1", "dec0", "dec1",
    ]

    public init(fields f: [String], stem: String) throws(RowError) {
        guard let hour = UTCDate.parseDateTime(f[0]) else {
            throw RowError("hour: not YYYY-MM-DD HH:MM:SS+00:00: \(CSVCell.quoted(f[0]))")
        }
        self.pool = stem
        self.hour = hour
        self.timestamp = Timestamp(seconds: try CSVCell.integer(f[1], "timestamp"))
        self.block = try CSVCell.integer(f[2], "block")
        self.tick = try CSVCell.integer(f[3], "poolTick")
        guard (-887_272...887_272).contains(tick) else { throw RowError("poolTick: outside ±887272: \(f[3])") }
        self.liquidity = try CSVCell.unsignedDigits(f[4], "poolLiquidity")
        self.tickSpacing = try CSVCell.integer(f[5], "tickSpacing")
        self.token0 = try CSVCell.text(f[6], "token0")
        self.token1 = try CSVCell.text(f[7], "token1")
        self.decimals0 = try CSVCell.integer(f[8], "dec0")
        self.decimals1 = try CSVCell.integer(f[9], "dec1")
        guard (0...36).contains(decimals0), (0...36).contains(decimals1) else {
            throw RowError("dec0/dec1: outside 0…36")
        }
    }

    /// The raw pool price `1.0001^tick` (token1 units per token0 unit, before decimals).
    public var rawPrice: Double { pow(1.0001, Double(tick)) }

    /// The price of one token0 in token1, adjusted for decimals (USDC/USDT: ≈ 1).
    public var price: Double { rawPrice * pow(10, Double(decimals0 - decimals1)) }
}
