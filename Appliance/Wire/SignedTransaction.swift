import Ethereum

/// The `signed` object of an approved decision: a keeper transaction ready to broadcast, or a Safe bundle for
/// the co-signers.
public enum SignedTransaction: Hashable, Sendable {
    /// Keeper mode: an EIP-1559 transaction to the hub, signed by the appliance's own account.
    public struct Keeper: Hashable, Sendable {
        /// The signed transaction, `0x02…`.
        public var rawTransaction: [UInt8]
        public var transactionHash: [UInt8]
        public var from: Address
        public var nonce: UInt64

        public init(rawTransaction: [UInt8], transactionHash: [UInt8], from: Address, nonce: UInt64) {
            self.rawTransaction = rawTransaction
            self.transactionHash = transactionHash
            self.from = from
            self.nonce = nonce
        }
    }

    case keeper(Keeper)
    /// Safe mode: the bundle (`rebalancer/bundle@1`) as already-built JSON; the bundle writer owns its shape.
    case safe(bundle: JSONValue)

    /// `{"mode": "keeper", "raw_transaction", "transaction_hash", "from", "nonce"}` or
    /// `{"mode": "safe", "bundle": {…}}`.
    public var jsonValue: JSONValue {
        switch self {
        case .keeper(let k):
            .object([
                "mode": .string("keeper"),
                "raw_transaction": .string(Hex.encode(k.rawTransaction)),
                "transaction_hash": .string(Hex.encode(k.transactionHash)),
                "from": .string(k.from.checksummed),
                "nonce": .integer(k.nonce),
            ])
        case .safe(let bundle):
            .object(["mode": .string("safe"), "bundle": bundle])
        }
    }

    init(json: JSONValue, at path: FieldPath) throws(WireError) {
        let head = try ObjectReader(json, at: path, required: ["mode"], ignoringUnknown: true)
        let (modeValue, modePath) = head["mode"]
        switch try modeValue.string(at: modePath) {
        case "keeper":
            let o = try ObjectReader(
                json, at: path, required: ["mode", "raw_transaction", "transaction_hash", "from", "nonce"],
                ignoringUnknown: true)
            self = .keeper(Keeper(
                rawTransaction: try o["raw_transaction"].value.hexBytes(at: o["raw_transaction"].path),
                transactionHash: try o["transaction_hash"].value.hexBytes(at: o["transaction_hash"].path, count: 32),
                from: try o["from"].value.address(at: o["from"].path),
                nonce: try o["nonce"].value.uint64(at: o["nonce"].path, in: 0...UInt64(Int64.max))))
        case "safe":
            let o = try ObjectReader(json, at: path, required: ["mode", "bundle"], ignoringUnknown: true)
            let (bundle, bundlePath) = o["bundle"]
            guard case .object = bundle else { throw bundlePath.invalid("expected an object") }
            self = .safe(bundle: bundle)
        default:
            throw modePath.invalid("expected \"keeper\" or \"safe\"")
        }
    }
}
