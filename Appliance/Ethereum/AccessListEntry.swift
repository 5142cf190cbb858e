/// One EIP-2930 access-list entry: an address and the storage slots the transaction declares it will touch.
public struct AccessListEntry: Hashable, Sendable {
    public let address: Address
    /// 32-byte storage keys.
    public let storageKeys: [[UInt8]]

    public init(address: Address, storageKeys: [[UInt8]]) throws {
        guard storageKeys.allSatisfy({ $0.count == 32 }) else {
            throw TransactionDecodingError("a storage key is 32 bytes")
        }
        self.address = address
        self.storageKeys = storageKeys
    }

    var rlpItem: RLPItem {
        .list([.bytes(address.bytes), .list(storageKeys.map { .bytes($0) })])
    }

    init(rlpItem: RLPItem) throws {
        let fields = try rlpItem.listValue()
        guard fields.count == 2 else { throw TransactionDecodingError("an access-list entry is [address, keys]") }
        let addressBytes = try fields[0].bytesValue()
        guard addressBytes.count == 20 else { throw TransactionDecodingError("access-list address is not 20 bytes") }
        let keys = try fields[1].listValue().map { try $0.bytesValue() }
        guard keys.allSatisfy({ $0.count == 32 }) else {
            throw TransactionDecodingError("a storage key is not 32 bytes")
        }
        self.address = Address(uncheckedBytes: addressBytes)
        self.storageKeys = keys
    }
}
