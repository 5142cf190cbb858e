import CSecp256k1
import Ethereum

/// Software signing with a private key held in memory, for governance co-signers' tooling and tests.
///
/// The appliance itself never uses this for treasury keys: the keeper and audit keys live in the HSM and sign
/// only through `HSMSigner`. These functions exist so a co-signer can sign a policy or a kill-switch release on
/// their own machine (`appliance policy sign`, `appliance killswitch sign-release`) and so tests can produce
/// governance signatures from the demo's publicly known keys.
extension Secp256k1 {
    /// An Ethereum signature (low-s, recovery id) over the 32-byte `digest` with the 32-byte `privateKey`
    /// (RFC 6979 deterministic nonce).
    public static func sign(digest: [UInt8], privateKey: [UInt8]) throws -> EthereumSignature {
        try checkSigningDigest(digest)
        let context = Secp256k1Context.shared.pointer
        try checkPrivateKey(privateKey)
        var recoverable = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_sign_recoverable(context, &recoverable, digest, privateKey, nil, nil) == 1 else {
            throw HSMError(.keyInvalid, "libsecp256k1 could not sign with this private key",
                           hint: "check the key file holds a valid secp256k1 private key")
        }
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryID: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &compact, &recoveryID, &recoverable)
        // libsecp256k1 always produces low-s signatures; recovery ids 2 and 3 cannot occur for a low r in
        // practice, and Ethereum cannot express them, so refuse rather than emit a wrong v.
        guard recoveryID == 0 || recoveryID == 1, isLowS(Array(compact[32..<64])) else {
            throw HSMError(.signatureInvalid, "libsecp256k1 produced a signature Ethereum cannot express",
                           hint: "sign again with a different digest")
        }
        return EthereumSignature(r: Array(compact[0..<32]), s: Array(compact[32..<64]), recoveryID: UInt8(recoveryID))
    }

    /// The Ethereum address of the 32-byte `privateKey`.
    public static func address(privateKey: [UInt8]) throws -> Address {
        try checkPrivateKey(privateKey)
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(Secp256k1Context.shared.pointer, &key, privateKey) == 1 else {
            throw HSMError(.keyInvalid, "the private key has no public key",
                           hint: "check the key file holds a valid secp256k1 private key")
        }
        return try Secp256k1PublicKey(key: key).address
    }

    private static func checkPrivateKey(_ privateKey: [UInt8]) throws {
        guard privateKey.count == 32,
              secp256k1_ec_seckey_verify(Secp256k1Context.shared.pointer, privateKey) == 1
        else {
            throw HSMError(.keyInvalid, "a secp256k1 private key is 32 bytes, non-zero and below the curve order",
                           hint: "write the key as 64 hex digits (an optional 0x prefix is fine)")
        }
    }

    private static func checkSigningDigest(_ digest: [UInt8]) throws {
        guard digest.count == 32 else {
            throw HSMError(.invalidDigest, "a digest is 32 bytes, got \(digest.count)",
                           hint: "pass the Keccak-256 hash of the message, not the message")
        }
    }
}
