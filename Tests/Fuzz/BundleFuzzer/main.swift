import ApplianceCore
import BigInt
import Ethereum
import FuzzSupport
import HSM
import Wire

// fuzz-bundle: `appliance bundle verify` on untrusted bundle text. A mutated bundle almost never carries valid
// signatures, so each input is verified twice: as it is, and re-signed by a fixed test key (its safe_tx_hash,
// appliance address and both signatures replaced), which takes the verifier past the signature checks into the
// calldata decoding and the comparison with `decoded`. Checks, beyond "no crash":
// - a bundle that verifies still verifies from its compact JSON, and its calldata is the call it decoded;
// - calldata that decodes as a StrategyHub call re-encodes to exactly the same bytes.

/// A publicly known test key (32 bytes of 0x11); it never signs anything real.
private let testKey = [UInt8](repeating: 0x11, count: 32)
private let testAddress: Address = {
    do { return try Secp256k1.address(privateKey: testKey) } catch { fatalError("test key: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let verified = try? BundleVerifier.verify(bytes) { check(verified) }

    guard let json = try? JSONParser.parse(bytes, maxDepth: JSONParser.protocolMaxDepth) else { return 0 }
    if let calldata = hex(json["safe_tx"]?["data"]), let call = try? HubCall(calldata: calldata) {
        invariant((try? call.calldata()) == calldata, "hub calldata does not re-encode to the same bytes")
    }
    if let resigned = resign(json), let verified = try? BundleVerifier.verify(resigned) { check(verified) }
    return 0
}

private func check(_ verified: BundleVerifier.Verified) {
    let compact = verified.bundle.json.serializedBytes()
    invariant((try? BundleVerifier.verify(compact)) != nil, "a verified bundle fails from its compact JSON")
    let data = hex(verified.bundle.json["safe_tx"]?["data"])
    invariant(data != nil && (try? verified.call.calldata()) == data, "verified call is not the bundle's calldata")
}

/// `json` with the SafeTx hash recomputed from its `safe_tx` and both appliance signatures made by the test key;
/// nil when `safe_tx` cannot be hashed (the verifier refuses such a bundle before any signature).
private func resign(_ json: JSONValue) -> JSONValue? {
    guard let tx = json["safe_tx"], let chainID = json["chain_id"].flatMap(uint64), let safe = address(json["safe"]),
          let to = address(tx["to"]), let value = decimal(tx["value"]), let data = hex(tx["data"]),
          let safeTxGas = decimal(tx["safe_tx_gas"]), let baseGas = decimal(tx["base_gas"]),
          let gasPrice = decimal(tx["gas_price"]), let gasToken = address(tx["gas_token"]),
          let refundReceiver = address(tx["refund_receiver"]), let nonce = decimal(tx["nonce"]),
          case .object(let members) = json
    else { return nil }
    let transaction = SafeTransaction(
        to: to, value: value, data: data, operation: 0, safeTxGas: safeTxGas, baseGas: baseGas, gasPrice: gasPrice,
        gasToken: gasToken, refundReceiver: refundReceiver, nonce: nonce)
    guard let hash = try? transaction.hash(chainID: chainID, safe: safe),
          let safeTxSignature = try? Secp256k1.sign(digest: hash, privateKey: testKey)
    else { return nil }

    var unsigned = replacing(members, "safe_tx_hash", .string(Hex.encode(hash)))
    let appliance: [JSONValue.Member]
    if case .object(let inner)? = json["appliance"] { appliance = inner } else { appliance = [] }
    unsigned = replacing(unsigned, "appliance",
                         .object(replacing(appliance, "address", .string(testAddress.checksummed))))
    guard let bundleSignature = try? Secp256k1.sign(digest: SafeBundle.bundleDigest(.object(unsigned)),
                                                    privateKey: testKey)
    else { return nil }
    return .object(unsigned.map { member in
        guard member.key == "appliance", case .object(let inner) = member.value else { return member }
        let signed = replacing(inner, "signature", .string(Hex.encode(safeTxSignature.rsv)))
        return JSONValue.Member("appliance", .object(replacing(signed, "bundle_signature",
                                                                .string(Hex.encode(bundleSignature.rsv)))))
    })
}

/// `members` with every `key` member's value replaced, or the member appended if there is none.
private func replacing(_ members: [JSONValue.Member], _ key: String, _ value: JSONValue) -> [JSONValue.Member] {
    guard members.contains(where: { $0.key == key }) else { return members + [JSONValue.Member(key, value)] }
    return members.map { $0.key == key ? JSONValue.Member(key, value) : $0 }
}

private func uint64(_ value: JSONValue) -> UInt64? {
    guard case .number(let n) = value, let v = n.int64Value, v >= 0 else { return nil }
    return UInt64(v)
}

private func decimal(_ value: JSONValue?) -> BigUInt? {
    guard case .string(let s)? = value, s.utf8.count <= 78 else { return nil }
    return BigUInt(s, radix: 10)
}

private func address(_ value: JSONValue?) -> Address? {
    guard case .string(let s)? = value else { return nil }
    return try? Address(hex: s)
}

private func hex(_ value: JSONValue?) -> [UInt8]? {
    guard case .string(let s)? = value else { return nil }
    return try? Hex.decode(s, requirePrefix: true)
}

#if !FUZZING
@main
enum Replay {
    static func main() { CorpusReplay.run(fuzz) }
}
#endif
