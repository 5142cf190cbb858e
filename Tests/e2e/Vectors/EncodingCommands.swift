import BigInt
import Ethereum
import Foundation

/// Commands that exercise the pure `Ethereum` encoders; results are hex strings or JSON values.
enum EncodingCommands {
    /// {"data": "0x…"} → keccak256 digest.
    static func keccak(_ request: [String: Any]) throws -> Any {
        Hex.encode(Keccak256.hash(try JSONConversion.bytes(request["data"], "data")))
    }

    /// {"item": nested arrays of 0x-hex byte strings} → encoding.
    static func rlpEncode(_ request: [String: Any]) throws -> Any {
        Hex.encode(RLP.encode(try JSONConversion.rlpItem(request["item"] ?? NSNull())))
    }

    /// {"data": "0x…"} → nested arrays of hex byte strings, or an error for non-canonical input.
    static func rlpDecode(_ request: [String: Any]) throws -> Any {
        JSONConversion.json(try RLP.decode(try JSONConversion.bytes(request["data"], "data")))
    }

    private static func types(_ request: [String: Any]) throws -> [ABIType] {
        guard let texts = request["types"] as? [String] else { throw ToolError("types must be an array of strings") }
        return try texts.map { try ABIType(parsing: $0) }
    }

    /// {"types": [...], "values": [...]} → encoding.
    static func abiEncode(_ request: [String: Any]) throws -> Any {
        let types = try types(request)
        guard let values = request["values"] as? [Any], values.count == types.count else {
            throw ToolError("values must be an array as long as types")
        }
        let abiValues = try zip(types, values).map { try JSONConversion.abiValue($0, $1) }
        return Hex.encode(try ABI.encode(types, abiValues))
    }

    /// {"types": [...], "data": "0x…"} → values.
    static func abiDecode(_ request: [String: Any]) throws -> Any {
        let values = try ABI.decode(try types(request), try JSONConversion.bytes(request["data"], "data"))
        return values.map(JSONConversion.json)
    }

    /// {"signature": "f(uint256)"} → selector.
    static func selector(_ request: [String: Any]) throws -> Any {
        Hex.encode(try ABIFunction(signature: try JSONConversion.string(request["signature"], "signature")).selector)
    }

    /// {"chainId", "safe", "tx": {to, value, data, operation, safeTxGas, baseGas, gasPrice, gasToken,
    /// refundReceiver, nonce}} → safeTxHash.
    static func safeTxHash(_ request: [String: Any]) throws -> Any {
        guard let f = request["tx"] as? [String: Any] else { throw ToolError("tx must be an object") }
        let operation = try JSONConversion.uint64(f["operation"], "operation")
        guard operation <= 1 else { throw ToolError("operation must be 0 or 1") }
        let tx = SafeTransaction(
            to: try JSONConversion.address(f["to"], "to"),
            value: try JSONConversion.bigUInt(f["value"], "value"),
            data: try JSONConversion.bytes(f["data"], "data"),
            operation: UInt8(operation),
            safeTxGas: try JSONConversion.bigUInt(f["safeTxGas"], "safeTxGas"),
            baseGas: try JSONConversion.bigUInt(f["baseGas"], "baseGas"),
            gasPrice: try JSONConversion.bigUInt(f["gasPrice"], "gasPrice"),
            gasToken: try JSONConversion.address(f["gasToken"], "gasToken"),
            refundReceiver: try JSONConversion.address(f["refundReceiver"], "refundReceiver"),
            nonce: try JSONConversion.bigUInt(f["nonce"], "nonce"))
        return Hex.encode(try tx.hash(
            chainID: try JSONConversion.uint64(request["chainId"], "chainId"),
            safe: try JSONConversion.address(request["safe"], "safe")))
    }

    /// {"typedData": {types, primaryType, domain, message}} → signing hash.
    static func eip712Hash(_ request: [String: Any]) throws -> Any {
        guard let object = request["typedData"] as? [String: Any],
              let rawTypes = object["types"] as? [String: [[String: Any]]]
        else { throw ToolError("typedData must carry types") }
        let types = try rawTypes.mapValues { fields in
            try fields.map {
                EIP712.Field(name: try JSONConversion.string($0["name"], "name"),
                             type: try JSONConversion.string($0["type"], "type"))
            }
        }
        guard case .object(let domain) = try JSONConversion.eip712Value(object["domain"] ?? [String: Any]()),
              case .object(let message) = try JSONConversion.eip712Value(object["message"] ?? [String: Any]())
        else { throw ToolError("domain and message must be objects") }
        let typedData = EIP712.TypedData(
            types: types, primaryType: try JSONConversion.string(object["primaryType"], "primaryType"),
            domain: domain, message: message)
        return Hex.encode(try typedData.signingHash())
    }

    static func transaction(_ f: [String: Any]) throws -> EIP1559Transaction {
        let accessList = try (f["accessList"] as? [[String: Any]] ?? []).map { entry in
            try AccessListEntry(
                address: try JSONConversion.address(entry["address"], "accessList address"),
                storageKeys: try (entry["storageKeys"] as? [Any] ?? []).map { try JSONConversion.bytes($0, "key") })
        }
        return EIP1559Transaction(
            chainID: try JSONConversion.uint64(f["chainId"], "chainId"),
            nonce: try JSONConversion.uint64(f["nonce"], "nonce"),
            maxPriorityFeePerGas: try JSONConversion.bigUInt(f["maxPriorityFeePerGas"], "maxPriorityFeePerGas"),
            maxFeePerGas: try JSONConversion.bigUInt(f["maxFeePerGas"], "maxFeePerGas"),
            gasLimit: try JSONConversion.uint64(f["gas"], "gas"),
            to: f["to"] is String ? try JSONConversion.address(f["to"], "to") : nil,
            value: try JSONConversion.bigUInt(f["value"], "value"),
            data: try JSONConversion.bytes(f["data"] ?? "0x", "data"),
            accessList: accessList)
    }

    /// {"tx": {chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas, to?, value, data, accessList},
    ///  "signature": {"r", "s", "yParity"}?} → {"signingHash", and with a signature "raw" and "hash"}.
    static func eip1559SigningHash(_ request: [String: Any]) throws -> Any {
        guard let f = request["tx"] as? [String: Any] else { throw ToolError("tx must be an object") }
        let tx = try transaction(f)
        var result: [String: Any] = ["signingHash": Hex.encode(tx.signingHash)]
        if let s = request["signature"] as? [String: Any] {
            let r = try JSONConversion.bigUInt(s["r"], "r")
            let sValue = try JSONConversion.bigUInt(s["s"], "s")
            let parity = try JSONConversion.uint64(s["yParity"], "yParity")
            guard r.bitWidth <= 256, sValue.bitWidth <= 256, parity <= 1 else { throw ToolError("bad signature") }
            let signature = EthereumSignature(
                r: Array(pad32(r)), s: Array(pad32(sValue)), recoveryID: UInt8(parity))
            result["raw"] = Hex.encode(tx.rawTransaction(signedWith: signature))
            result["hash"] = Hex.encode(tx.transactionHash(signedWith: signature))
        }
        return result
    }

    /// {"raw": "0x02…"} → {"signingHash", "hash", "yParity", "r", "s"} or an error.
    static func eip1559Decode(_ request: [String: Any]) throws -> Any {
        let signed = try SignedEIP1559Transaction(raw: try JSONConversion.bytes(request["raw"], "raw"))
        return [
            "signingHash": Hex.encode(signed.transaction.signingHash), "hash": Hex.encode(signed.hash),
            "yParity": Int(signed.signature.recoveryID), "r": Hex.encode(signed.signature.r),
            "s": Hex.encode(signed.signature.s), "chainId": String(signed.transaction.chainID),
            "nonce": String(signed.transaction.nonce),
        ] as [String: Any]
    }

    /// {"message": "0x…"} → EIP-191 personal message hash.
    static func personalMessageHash(_ request: [String: Any]) throws -> Any {
        Hex.encode(PersonalMessage.hash(try JSONConversion.bytes(request["message"], "message")))
    }

    private static func pad32(_ value: BigUInt) -> [UInt8] {
        var bytes = [UInt8]()
        var rest = value
        while rest > 0 {
            bytes.insert(UInt8(rest & 0xff), at: 0)
            rest >>= 8
        }
        return [UInt8](repeating: 0, count: 32 - bytes.count) + bytes
    }
}
