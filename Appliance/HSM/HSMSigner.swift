import CPKCS11
import Ethereum

/// Signs 32-byte digests with one secp256k1 key inside a PKCS#11 token and returns Ethereum signatures
/// (low-s, recovery id, verified against the key before they are returned).
///
/// Safe to call from several threads at once: each call borrows its own session from the pool.
///
/// Survives the token going away and coming back (a SoftHSM token directory restored, an HSM reconnected): when
/// the token no longer knows the key's handle or session, the signer reconnects the pool (module initialised
/// again, token found by label, PIN read afresh from its file), looks the key up again by label, accepts it only
/// if its public key is the one it had, and retries once. While that fails, signing fails with
/// `HSM_TOKEN_UNAVAILABLE` and the next call tries again.
public final class HSMSigner: DigestSigner {
    /// The pool the signer borrows sessions from.
    public let pool: SessionPool
    /// The key it signs with, as first found.
    public let key: TokenKey
    /// The private key's handle now (it changes when the token reloads its objects).
    private let handle: Locked<CK_OBJECT_HANDLE>

    /// The key's Ethereum address.
    public var address: Address { key.address }

    /// A signer for `key`, which must live on `pool`'s token.
    public init(pool: SessionPool, key: TokenKey) {
        self.pool = pool
        self.key = key
        self.handle = Locked(key.privateKeyHandle)
    }

    /// An Ethereum signature over `digest`: `C_Sign` with `CKM_ECDSA`, then low-s normalisation, recovery id and
    /// verification with libsecp256k1.
    public func sign(digest: [UInt8]) throws -> EthereumSignature {
        try checkDigest(digest)
        return try withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { compact in
            try digest.withUnsafeBytes { digestBytes in
                try tokenSign(digest: digestBytes, into: compact)
                return try Secp256k1.ethereumSignature(
                    compact: UnsafeRawBufferPointer(compact), digest: digestBytes, publicKey: key.publicKey)
            }
        }
    }

    /// The token's raw 64-byte r‖s signature over `digest`, as `C_Sign` returns it (not normalised, no recovery
    /// id, not verified). For benchmarks comparing the HSM alone with the full Ethereum signing path.
    public func rawSign(digest: [UInt8]) throws -> [UInt8] {
        try checkDigest(digest)
        var signature = [UInt8](repeating: 0, count: 64)
        try digest.withUnsafeBytes { digestBytes in
            try signature.withUnsafeMutableBytes { try tokenSign(digest: digestBytes, into: $0) }
        }
        return signature
    }

    private func tokenSign(digest: UnsafeRawBufferPointer, into signature: UnsafeMutableRawBufferPointer) throws {
        let current = handle.withLock { $0 }
        let generation = pool.generation
        do {
            try tokenSign(digest: digest, into: signature, privateKey: current)
        } catch let error as HSMError where HSMSigner.keyIsGone(error) {
            try tokenSign(digest: digest, into: signature,
                          privateKey: try reconnect(after: error, generation: generation))
        }
    }

    /// Return values meaning the token no longer knows this handle or session: the token was reloaded,
    /// removed, or reset.
    private static func keyIsGone(_ error: HSMError) -> Bool {
        guard let rv = error.returnValue else { return false }
        return [CKR_OBJECT_HANDLE_INVALID, CKR_KEY_HANDLE_INVALID, CKR_SESSION_HANDLE_INVALID, CKR_SESSION_CLOSED,
                CKR_TOKEN_NOT_PRESENT, CKR_DEVICE_REMOVED, CKR_DEVICE_ERROR, CKR_USER_NOT_LOGGED_IN,
                CKR_CRYPTOKI_NOT_INITIALIZED, CKR_SLOT_ID_INVALID].contains(rv)
    }

    /// Reconnects the pool (unless another signer just did), then looks the key up again by label; only a key
    /// with the same public key is accepted.
    private func reconnect(after failure: HSMError, generation: Int) throws -> CK_OBJECT_HANDLE {
        let found: TokenKey
        do {
            try pool.reconnect(after: generation)
            found = try pool.findKey(label: key.label)
        } catch let error as HSMError {
            throw HSMError(
                .tokenUnavailable, "the HSM cannot sign with \"\(key.label)\" now: \(failure.message); "
                    + "reconnecting: \(error.message)",
                hint: "check the token is present and its module can reach it (for SoftHSM: the token directory "
                    + "under SOFTHSM2_CONF); the appliance tries again on the next request",
                returnValue: failure.returnValue)
        }
        guard found.publicKey == key.publicKey else {
            throw HSMError(
                .keyInvalid, "the token now holds a different key labelled \"\(key.label)\" "
                    + "(\(found.address.checksummed), not \(key.address.checksummed))",
                hint: "restore the original token; never re-key a live appliance")
        }
        handle.withLock { $0 = found.privateKeyHandle }
        return found.privateKeyHandle
    }

    private func tokenSign(digest: UnsafeRawBufferPointer, into signature: UnsafeMutableRawBufferPointer,
                           privateKey: CK_OBJECT_HANDLE) throws {
        let module = pool.token.module
        let signInit = try module.function(module.functions.pointee.C_SignInit, "C_SignInit")
        let cSign = try module.function(module.functions.pointee.C_Sign, "C_Sign")
        try pool.withSession { session in
            var mechanism = CK_MECHANISM(mechanism: CK_MECHANISM_TYPE(CKM_ECDSA), pParameter: nil, ulParameterLen: 0)
            try module.check(signInit(session, &mechanism, privateKey), "C_SignInit (CKM_ECDSA)",
                             hint: "check the key \"\(key.label)\" is a secp256k1 signing key")
            var length = CK_ULONG(signature.count)
            let rv = cSign(
                session, UnsafeMutablePointer(mutating: digest.bindMemory(to: UInt8.self).baseAddress),
                CK_ULONG(digest.count), signature.bindMemory(to: UInt8.self).baseAddress, &length)
            try module.check(rv, "C_Sign (CKM_ECDSA)")
            guard length == 64 else {
                throw HSMError(.signatureInvalid, "the token returned a \(length)-byte ECDSA signature, expected 64",
                               hint: "check the key \"\(key.label)\" is a secp256k1 key")
            }
        }
    }

    private func checkDigest(_ digest: [UInt8]) throws {
        guard digest.count == 32 else {
            throw HSMError(.invalidDigest, "a digest is 32 bytes, got \(digest.count)",
                           hint: "pass the Keccak-256 hash of the message, not the message")
        }
    }
}
