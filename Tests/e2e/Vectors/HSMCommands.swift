import Ethereum
import Foundation
import HSM

/// Commands that sign inside a real SoftHSM2 token (created on first use in a temporary directory and removed
/// when the tool exits), so the Python side can recover the signer with eth-account.
enum HSMCommands {
    /// The throwaway token's signer, made once per process.
    private static let signer: Result<HSMSigner, any Error> = Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("e2e-vectors-hsm-\(getpid())").path
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: FileManager.default.temporaryDirectory
                                                        .appendingPathComponent("e2e-vectors-hsm-\(getpid())").path) }
        let configuration = SoftHSMConfiguration(directory: directory)
        try configuration.create()
        let module = try configuration.loadModule()
        let result = try TokenProvisioning(
            module: module, tokenLabel: "e2e-vectors", pinFile: directory + "/pin",
            soPINFile: directory + "/so-pin", keyLabels: ["e2e"]
        ).run()
        return try result.pool.signer(label: "e2e")
    }

    private static func hsm() throws -> HSMSigner { try signer.get() }

    /// {} → the HSM key's address.
    static func address(_ request: [String: Any]) throws -> Any { try hsm().address.checksummed }

    /// {"tx": {…EIP-1559 fields…}} → signed in the HSM: {"from", "signingHash", "raw", "hash"}.
    static func signEIP1559(_ request: [String: Any]) throws -> Any {
        guard let f = request["tx"] as? [String: Any] else { throw ToolError("tx must be an object") }
        let tx = try EncodingCommands.transaction(f)
        let signer = try hsm()
        let signature = try signer.sign(digest: tx.signingHash)
        return [
            "from": signer.address.checksummed,
            "signingHash": Hex.encode(tx.signingHash),
            "raw": Hex.encode(tx.rawTransaction(signedWith: signature)),
            "hash": Hex.encode(tx.transactionHash(signedWith: signature)),
        ]
    }

    /// {"message": "0x…"} → EIP-191 personal-message signature from the HSM: {"address", "signature"}.
    static func signPersonal(_ request: [String: Any]) throws -> Any {
        let message = try JSONConversion.bytes(request["message"], "message")
        let signer = try hsm()
        let signature = try signer.sign(digest: PersonalMessage.hash(message))
        return ["address": signer.address.checksummed, "signature": Hex.encode(signature.rsv)]
    }

    /// {"digest": "0x…32 bytes"} → {"address", "r", "s", "v"} for a raw digest (v ∈ {27, 28}).
    static func signDigest(_ request: [String: Any]) throws -> Any {
        let digest = try JSONConversion.bytes(request["digest"], "digest")
        guard digest.count == 32 else { throw ToolError("digest must be 32 bytes") }
        let signer = try hsm()
        let signature = try signer.sign(digest: digest)
        return [
            "address": signer.address.checksummed, "r": Hex.encode(signature.r), "s": Hex.encode(signature.s),
            "v": Int(signature.recoveryID) + 27,
        ] as [String: Any]
    }
}
