import BigInt

/// A Safe (Gnosis Safe ≥ 1.3) multisig transaction: the fields of the EIP-712 `SafeTx` struct the owners sign.
public struct SafeTransaction: Hashable, Sendable {
    public var to: Address
    public var value: BigUInt
    public var data: [UInt8]
    /// 0 = CALL, 1 = DELEGATECALL.
    public var operation: UInt8
    public var safeTxGas: BigUInt
    public var baseGas: BigUInt
    public var gasPrice: BigUInt
    public var gasToken: Address
    public var refundReceiver: Address
    public var nonce: BigUInt

    public init(
        to: Address, value: BigUInt = 0, data: [UInt8], operation: UInt8 = 0,
        safeTxGas: BigUInt = 0, baseGas: BigUInt = 0, gasPrice: BigUInt = 0,
        gasToken: Address = .zero, refundReceiver: Address = .zero, nonce: BigUInt
    ) {
        self.to = to
        self.value = value
        self.data = data
        self.operation = operation
        self.safeTxGas = safeTxGas
        self.baseGas = baseGas
        self.gasPrice = gasPrice
        self.gasToken = gasToken
        self.refundReceiver = refundReceiver
        self.nonce = nonce
    }

    /// The `SafeTx` struct type as the Safe contract hashes it.
    public static let typeString =
        "SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,uint256 baseGas,"
        + "uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)"

    /// The Safe ≥ 1.3 domain type.
    public static let domainTypeString = "EIP712Domain(uint256 chainId,address verifyingContract)"

    /// keccak256(abi.encode(DOMAIN_SEPARATOR_TYPEHASH, chainId, safe)).
    public static func domainSeparator(chainID: UInt64, safe: Address) -> [UInt8] {
        Keccak256.hash(
            Keccak256.hash(domainTypeString.utf8) + word(BigUInt(chainID)) + [UInt8](repeating: 0, count: 12)
                + safe.bytes)
    }

    /// hashStruct(SafeTx): the typehash and every field as one 32-byte word, `data` hashed.
    /// Throws only if a number does not fit its Solidity type (operation beyond uint8 cannot happen).
    public func structHash() throws -> [UInt8] {
        var encoded = Keccak256.hash(Self.typeString.utf8)
        encoded += [UInt8](repeating: 0, count: 12) + to.bytes
        encoded += try Self.checkedWord(value)
        encoded += Keccak256.hash(data)
        encoded += Self.word(BigUInt(operation))
        encoded += try Self.checkedWord(safeTxGas)
        encoded += try Self.checkedWord(baseGas)
        encoded += try Self.checkedWord(gasPrice)
        encoded += [UInt8](repeating: 0, count: 12) + gasToken.bytes
        encoded += [UInt8](repeating: 0, count: 12) + refundReceiver.bytes
        encoded += try Self.checkedWord(nonce)
        return Keccak256.hash(encoded)
    }

    /// The safeTxHash: keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash), what owners and the appliance sign.
    public func hash(chainID: UInt64, safe: Address) throws -> [UInt8] {
        Keccak256.hash([0x19, 0x01] + Self.domainSeparator(chainID: chainID, safe: safe) + (try structHash()))
    }

    private static func word(_ value: BigUInt) -> [UInt8] { value.bigEndianBytes(width: 32) }

    private static func checkedWord(_ value: BigUInt) throws -> [UInt8] {
        guard value.bitWidth <= 256 else {
            throw ABIError(.valueOutOfRange, "\(value) does not fit in uint256")
        }
        return word(value)
    }
}
