import Ethereum

/// Where a decision sits in the audit log: its sequence number and the chain hash after it (`{"seq", "hash"}`).
public struct AuditReference: Hashable, Sendable {
    public var seq: UInt64
    /// The entry's chain hash, written as `0x` + hex.
    public var hash: [UInt8]

    public init(seq: UInt64, hash: [UInt8]) {
        self.seq = seq
        self.hash = hash
    }

    public var jsonValue: JSONValue { .object(["seq": .integer(seq), "hash": .string(Hex.encode(hash))]) }

    init(json: JSONValue, at path: FieldPath) throws(WireError) {
        let o = try ObjectReader(json, at: path, required: ["seq", "hash"], ignoringUnknown: true)
        self.seq = try o["seq"].value.uint64(at: o["seq"].path, in: 0...UInt64(Int64.max))
        self.hash = try o["hash"].value.hexBytes(at: o["hash"].path)
    }
}
