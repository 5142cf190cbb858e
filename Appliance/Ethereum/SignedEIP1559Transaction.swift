import BigInt

/// A signed type-2 transaction read back from its raw bytes, strictly: the bytes must be exactly what
/// `EIP1559Transaction.rawTransaction(signedWith:)` would produce for the decoded fields and signature.
public struct SignedEIP1559Transaction: Hashable, Sendable {
    public let transaction: EIP1559Transaction
    public let signature: EthereumSignature

    /// secp256k1 group order n.
    static let curveOrder = BigUInt(
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", radix: 16)!

    public init(transaction: EIP1559Transaction, signature: EthereumSignature) {
        self.transaction = transaction
        self.signature = signature
    }

    /// Decodes 0x02 ‖ rlp([12 fields]). Integers must be minimal and in range, `to` empty or 20 bytes,
    /// yParity 0 or 1, 0 < r < n and 0 < s ≤ n/2 (EIP-2).
    public init(raw: [UInt8]) throws {
        guard raw.first == EIP1559Transaction.typeByte else {
            throw TransactionDecodingError("not a type-2 transaction (first byte must be 0x02)")
        }
        let fields = try RLP.decode(Array(raw.dropFirst())).listValue()
        guard fields.count == 12 else { throw TransactionDecodingError("a signed type-2 transaction has 12 fields") }
        let toBytes = try fields[5].bytesValue()
        let to: Address?
        switch toBytes.count {
        case 0: to = nil
        case 20: to = Address(uncheckedBytes: toBytes)
        default: throw TransactionDecodingError("to is neither empty nor 20 bytes")
        }
        let transaction = EIP1559Transaction(
            chainID: try fields[0].uint64Value(),
            nonce: try fields[1].uint64Value(),
            maxPriorityFeePerGas: try fields[2].bigUIntValue(),
            maxFeePerGas: try fields[3].bigUIntValue(),
            gasLimit: try fields[4].uint64Value(),
            to: to,
            value: try fields[6].bigUIntValue(),
            data: try fields[7].bytesValue(),
            accessList: try fields[8].listValue().map(AccessListEntry.init(rlpItem:))
        )
        let yParity = try fields[9].uint64Value()
        guard yParity <= 1 else { throw TransactionDecodingError("yParity must be 0 or 1") }
        let r = try fields[10].bigUIntValue()
        let s = try fields[11].bigUIntValue()
        guard r > 0, r < Self.curveOrder else { throw TransactionDecodingError("r is out of range") }
        guard s > 0, s <= Self.curveOrder >> 1 else { throw TransactionDecodingError("s is zero or not low-s (EIP-2)") }
        self.transaction = transaction
        self.signature = EthereumSignature(
            r: r.bigEndianBytes(width: 32), s: s.bigEndianBytes(width: 32), recoveryID: UInt8(yParity))
    }

    /// The raw bytes.
    public var raw: [UInt8] { transaction.rawTransaction(signedWith: signature) }

    /// keccak256 of the raw bytes.
    public var hash: [UInt8] { Keccak256.hash(raw) }
}
