import BigInt
import Ethereum
import HSM
import SigningPolicy
import Wire

/// Verifies a co-signer bundle on a machine with no HSM and no appliance state: recomputes the SafeTx hash,
/// recovers the appliance's two signatures, decodes `data` and compares it with `decoded`.
public enum BundleVerifier {
    /// What a valid bundle says, for `bundle show`.
    public struct Verified: Sendable {
        public var bundle: SafeBundle
        public var appliance: Address
        public var safe: Address
        public var chainID: UInt64
        public var safeTxHash: [UInt8]
        public var call: HubCall
    }

    /// Parses and verifies bundle text.
    public static func verify(_ bytes: [UInt8]) throws -> Verified {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes, maxDepth: 8) } catch {
            throw SafeBundle.Invalid("not valid JSON: \(error.message)")
        }
        return try verify(json)
    }

    /// Verifies a parsed bundle.
    public static func verify(_ json: JSONValue) throws -> Verified {
        let reader = BundleReader(json)
        guard try reader.string("format") == SafeBundle.format else {
            throw SafeBundle.Invalid("format is not \(SafeBundle.format)")
        }
        let chainID = try reader.uint64("chain_id")
        let safe = try reader.address("safe")
        let tx = try reader.object("safe_tx")
        let operation = try tx.uint64("operation")
        guard operation == 0 else { throw SafeBundle.Invalid("safe_tx.operation is \(operation): only CALL (0) is signed") }
        let data = try tx.hex("data")
        let safeTransaction = SafeTransaction(
            to: try tx.address("to"), value: try tx.decimal("value"), data: data, operation: 0,
            safeTxGas: try tx.decimal("safe_tx_gas"), baseGas: try tx.decimal("base_gas"),
            gasPrice: try tx.decimal("gas_price"), gasToken: try tx.address("gas_token"),
            refundReceiver: try tx.address("refund_receiver"), nonce: try tx.decimal("nonce"))
        let hash: [UInt8]
        do { hash = try safeTransaction.hash(chainID: chainID, safe: safe) } catch {
            throw SafeBundle.Invalid("cannot hash safe_tx: \(error)")
        }
        guard try reader.hex("safe_tx_hash") == hash else {
            throw SafeBundle.Invalid("safe_tx_hash does not match safe_tx (recomputed \(Hex.encode(hash)))")
        }
        let appliance = try reader.object("appliance")
        let applianceAddress = try appliance.address("address")
        let signature = try appliance.signature("signature")
        guard (try? Secp256k1.recoverAddress(digest: hash, signature: signature)) == applianceAddress else {
            throw SafeBundle.Invalid("appliance.signature does not recover to \(applianceAddress) over safe_tx_hash")
        }
        let bundleSignature = try appliance.signature("bundle_signature")
        guard (try? Secp256k1.recoverAddress(digest: SafeBundle.bundleDigest(json), signature: bundleSignature))
            == applianceAddress
        else {
            throw SafeBundle.Invalid("appliance.bundle_signature does not cover this bundle: a field was changed")
        }
        let call: HubCall
        do { call = try HubCall(calldata: data) } catch {
            throw SafeBundle.Invalid("safe_tx.data is not a StrategyHub call: \(error)")
        }
        try compare(call, with: try reader.object("decoded"))
        return Verified(bundle: SafeBundle(json: json), appliance: applianceAddress, safe: safe, chainID: chainID,
                        safeTxHash: hash, call: call)
    }

    static func compare(_ call: HubCall, with decoded: BundleReader) throws {
        func mismatch(_ field: String) -> SafeBundle.Invalid {
            SafeBundle.Invalid("decoded.\(field) does not match safe_tx.data")
        }
        guard try decoded.string("function") == call.functionName else { throw mismatch("function") }
        switch call {
        case let .rebalance(targets, reserve, slippage, deadline):
            let listed = try decoded.array("targets")
            guard listed.count == targets.count else { throw mismatch("targets") }
            for (entry, target) in zip(listed, targets) {
                guard try entry.address("adapter") == target.adapter,
                      try entry.uint64("weight_bps") == UInt64(target.weightBps)
                else { throw mismatch("targets") }
            }
            guard try decoded.uint64("reserve_bps") == UInt64(reserve) else { throw mismatch("reserve_bps") }
            guard try decoded.uint64("max_slippage_bps") == UInt64(slippage) else { throw mismatch("max_slippage_bps") }
            guard try decoded.uint64("deadline") == deadline else { throw mismatch("deadline") }
        case let .emergencyExit(haven, slippage, deadline):
            guard try decoded.address("safe_haven") == haven else { throw mismatch("safe_haven") }
            guard try decoded.uint64("max_slippage_bps") == UInt64(slippage) else { throw mismatch("max_slippage_bps") }
            guard try decoded.uint64("deadline") == deadline else { throw mismatch("deadline") }
        }
    }
}

/// Typed, strict access to a bundle's JSON members, with errors that name the field.
struct BundleReader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    private func member(_ key: String) throws -> JSONValue {
        guard case .object(let members) = value else { throw SafeBundle.Invalid("\(path.isEmpty ? "bundle" : path) is not an object") }
        let matches = members.filter { $0.key == key }
        guard matches.count == 1 else {
            throw SafeBundle.Invalid("\(path)\(key): \(matches.isEmpty ? "missing" : "duplicated")")
        }
        return matches[0].value
    }

    func object(_ key: String) throws -> BundleReader { BundleReader(try member(key), path: "\(path)\(key).") }

    func array(_ key: String) throws -> [BundleReader] {
        guard case .array(let items) = try member(key) else { throw SafeBundle.Invalid("\(path)\(key): expected an array") }
        return items.enumerated().map { BundleReader($1, path: "\(path)\(key)[\($0)].") }
    }

    func string(_ key: String) throws -> String {
        guard case .string(let s) = try member(key) else { throw SafeBundle.Invalid("\(path)\(key): expected a string") }
        return s
    }

    func uint64(_ key: String) throws -> UInt64 {
        guard case .number(let n) = try member(key), n.isInteger, let v = n.int64Value, v >= 0 else {
            throw SafeBundle.Invalid("\(path)\(key): expected a non-negative integer")
        }
        return UInt64(v)
    }

    func decimal(_ key: String) throws -> BigUInt {
        let s = try string(key)
        guard !s.isEmpty, s.count <= 78, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), s == "0" || !s.hasPrefix("0"),
              let v = BigUInt(s, radix: 10)
        else { throw SafeBundle.Invalid("\(path)\(key): expected a decimal string") }
        return v
    }

    func address(_ key: String) throws -> Address {
        do { return try Address(hex: try string(key)) } catch let error as SafeBundle.Invalid { throw error } catch {
            throw SafeBundle.Invalid("\(path)\(key): \(error)")
        }
    }

    func hex(_ key: String) throws -> [UInt8] {
        do { return try Hex.decode(try string(key), requirePrefix: true) } catch let error as SafeBundle.Invalid {
            throw error
        } catch { throw SafeBundle.Invalid("\(path)\(key): \(error)") }
    }

    /// A 65-byte r‖s‖v signature with v ∈ {27, 28}, the only form `execTransaction` reads as an ECDSA signature
    /// (a Safe reads v = 0 as a contract signature and v = 1 as an approved hash).
    func signature(_ key: String) throws -> EthereumSignature {
        let bytes = try hex(key)
        guard bytes.count == 65, bytes[64] == 27 || bytes[64] == 28 else {
            throw SafeBundle.Invalid("\(path)\(key): expected 65 bytes r‖s‖v with v 27 or 28")
        }
        do { return try EthereumSignature(rsv: bytes) } catch { throw SafeBundle.Invalid("\(path)\(key): \(error)") }
    }
}
