import BigInt

/// The answer to `eth_feeHistory`: base fees and how full the blocks were over a range, and the priority fees
/// paid at the requested percentiles, for estimating what a transaction will cost.
public struct JSONRPCFeeHistory: Hashable, Sendable {
    /// The first block of the range.
    public var oldestBlock: UInt64
    /// Base fee per gas in wei for each block of the range, plus the next block's (one more than the blocks).
    public var baseFeePerGas: [BigUInt]
    /// Gas used over gas limit for each block, in [0, 1].
    public var gasUsedRatio: [Double]
    /// Per block, the priority fee per gas in wei at each requested percentile; empty when none were requested.
    public var reward: [[BigUInt]]

    public init(oldestBlock: UInt64, baseFeePerGas: [BigUInt], gasUsedRatio: [Double], reward: [[BigUInt]]) {
        self.oldestBlock = oldestBlock
        self.baseFeePerGas = baseFeePerGas
        self.gasUsedRatio = gasUsedRatio
        self.reward = reward
    }

    /// The base fee the next block will charge (the last entry).
    public var nextBaseFeePerGas: BigUInt? { baseFeePerGas.last }
}
