import BigInt

/// A pre-EIP-2718 transaction, kept for its EIP-155 signing hash (a known-answer check for RLP and Keccak).
public struct LegacyTransaction: Hashable, Sendable {
    public var nonce: UInt64
    public var gasPrice: BigUInt
    public var gasLimit: UInt64
    public var to: Address?
    public var value: BigUInt
    public var data: [UInt8]

    public init(nonce: UInt64, gasPrice: BigUInt, gasLimit: UInt64, to: Address?, value: BigUInt, data: [UInt8]) {
        self.nonce = nonce
        self.gasPrice = gasPrice
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
    }

    /// EIP-155: keccak256(rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0])).
    public func signingHash(chainID: UInt64) -> [UInt8] {
        let fields: [RLPItem] = [
            .uint(nonce), .uint(gasPrice), .uint(gasLimit), .bytes(to?.bytes ?? []), .uint(value), .bytes(data),
            .uint(chainID), .uint(UInt64(0)), .uint(UInt64(0)),
        ]
        return Keccak256.hash(RLP.encode(.list(fields)))
    }
}
