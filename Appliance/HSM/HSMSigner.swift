import CPKCS11
import Ethereum

/// Signs 32-byte digests with one secp256k1 key inside a PKCS#11 token and returns Ethereum signatures
/// (low-s, recovery id, verified against the key before they are returned).
///
/// Safe to call from several threads at once: each call borrows its own session from the pool.
public final class HSMSigner: DigestSigner {
    /// The pool the signer borrows sessions from.
    public let pool: SessionPool
    /// The key it signs with.
    public let key: TokenKey

    /// The key's Ethereum address.
    public var address: Address { key.address }

    /// A signer for `key`, which must live on `pool`'s token.
    public init(pool: SessionPool, key: TokenKey) {
        self.pool = pool
        self.key = key
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
        let module = pool.token.module
        let signInit = try module.function(module.functions.pointee.C_SignInit, "C_SignInit")
        let cSign = try module.function(module.functions.pointee.C_Sign, "C_Sign")
        let privateKey = key.privateKeyHandle
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
