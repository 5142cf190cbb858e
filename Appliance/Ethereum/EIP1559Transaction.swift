import BigInt

/// A type-2 (EIP-1559) transaction: the fields the appliance checks, from which it computes what it signs.
public struct EIP1559Transaction: Hashable, Sendable {
    public var chainID: UInt64
    public var nonce: UInt64
    public var maxPriorityFeePerGas: BigUInt
    public var maxFeePerGas: BigUInt
    public var gasLimit: UInt64
    /// nil for contract creation.
    public var to: Address?
    public var value: BigUInt
    public var data: [UInt8]
    public var accessList: [AccessListEntry]

    /// The transaction type byte.
    public static let typeByte: UInt8 = 0x02

    public init(
        chainID: UInt64, nonce: UInt64, maxPriorityFeePerGas: BigUInt, maxFeePerGas: BigUInt, gasLimit: UInt64,
        to: Address?, value: BigUInt, data: [UInt8], accessList: [AccessListEntry] = []
    ) {
        self.chainID = chainID
        self.nonce = nonce
        self.maxPriorityFeePerGas = maxPriorityFeePerGas
        self.maxFeePerGas = maxFeePerGas
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }

    /// The nine unsigned fields in EIP-1559 order.
    var unsignedFields: [RLPItem] {
        [
            .uint(chainID), .uint(nonce), .uint(maxPriorityFeePerGas), .uint(maxFeePerGas), .uint(gasLimit),
            .bytes(to?.bytes ?? []), .uint(value), .bytes(data), .list(accessList.map(\.rlpItem)),
        ]
    }

    /// keccak256(0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data,
    /// accessList])): the digest the sender signs.
    public var signingHash: [UInt8] {
        Keccak256.hash([Self.typeByte] + RLP.encode(.list(unsignedFields)))
    }

    /// The broadcastable bytes: 0x02 ‖ rlp([…fields, yParity, r, s]) with r and s as minimal integers.
    public func rawTransaction(signedWith signature: EthereumSignature) -> [UInt8] {
        let signatureFields: [RLPItem] = [
            .uint(UInt64(signature.recoveryID)),
            .uint(BigUInt(bytesBigEndian: signature.r)),
            .uint(BigUInt(bytesBigEndian: signature.s)),
        ]
        return [Self.typeByte] + RLP.encode(.list(unsignedFields + signatureFields))
    }

    /// The transaction hash block explorers show: keccak256 of the raw transaction.
    public func transactionHash(signedWith signature: EthereumSignature) -> [UInt8] {
        Keccak256.hash(rawTransaction(signedWith: signature))
    }
}
