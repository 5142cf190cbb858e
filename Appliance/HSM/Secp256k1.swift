import CSecp256k1
import Ethereum

/// secp256k1 operations the appliance needs outside the HSM: recovering and verifying Ethereum signatures, and
/// turning an HSM's raw ECDSA output into an Ethereum signature (low-s, recovery id, verified).
///
/// Pure computation over libsecp256k1 with one shared context; usable without an HSM (bundle and governance
/// signature checks on a co-signer's machine).
public enum Secp256k1 {
    /// The group order n, big-endian.
    public static let curveOrder: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
        0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
    ]

    /// n / 2, big-endian: the largest s a low-s (EIP-2) signature may have.
    public static let halfCurveOrder: [UInt8] = [
        0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
    ]

    /// Whether `s` (32 bytes, big-endian) is at most n/2.
    public static func isLowS(_ s: [UInt8]) -> Bool {
        s.count == 32 && !halfCurveOrder.lexicographicallyPrecedes(s)
    }

    /// The public key that produced `signature` over the 32-byte `digest`.
    ///
    /// High-s signatures are refused (EIP-2): every signature the appliance accepts has exactly one valid form.
    public static func recoverPublicKey(digest: [UInt8], signature: EthereumSignature) throws -> Secp256k1PublicKey {
        try checkDigest(digest)
        guard isLowS(signature.s) else {
            throw HSMError(.signatureMalformed, "the signature's s is above n/2 (a malleable high-s signature)",
                           hint: "normalise the signature to low-s (EIP-2) before submitting it")
        }
        let context = Secp256k1Context.shared.pointer
        var recoverable = secp256k1_ecdsa_recoverable_signature()
        let compact = signature.r + signature.s
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(
            context, &recoverable, compact, Int32(signature.recoveryID)) == 1
        else {
            throw HSMError(.signatureMalformed, "the signature's r or s is zero or not below the curve order",
                           hint: "check the signature bytes (65 bytes r‖s‖v)")
        }
        var key = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &key, &recoverable, digest) == 1 else {
            throw HSMError(.signatureMalformed, "no public key recovers from this signature and digest",
                           hint: "check the signature was made over this digest")
        }
        return try Secp256k1PublicKey(key: key)
    }

    /// The address that produced `signature` over the 32-byte `digest`.
    public static func recoverAddress(digest: [UInt8], signature: EthereumSignature) throws -> Address {
        try recoverPublicKey(digest: digest, signature: signature).address
    }

    /// Whether `signature` is a valid low-s signature by `publicKey` over the 32-byte `digest`.
    ///
    /// Checks r and s only; the recovery id is checked by `verify(digest:signature:address:)`.
    public static func verify(digest: [UInt8], signature: EthereumSignature, publicKey: Secp256k1PublicKey) -> Bool {
        guard digest.count == 32 else { return false }
        let context = Secp256k1Context.shared.pointer
        var parsed = secp256k1_ecdsa_signature()
        let compact = signature.r + signature.s
        guard secp256k1_ecdsa_signature_parse_compact(context, &parsed, compact) == 1 else { return false }
        var key = publicKey.key
        // secp256k1_ecdsa_verify rejects high-s signatures itself.
        return secp256k1_ecdsa_verify(context, &parsed, digest, &key) == 1
    }

    /// Whether `signature` (including its recovery id) over the 32-byte `digest` was made by `address`.
    public static func verify(digest: [UInt8], signature: EthereumSignature, address: Address) -> Bool {
        guard let recovered = try? recoverAddress(digest: digest, signature: signature) else { return false }
        return recovered == address
    }

    /// Turns a raw 64-byte r‖s ECDSA signature (as a PKCS#11 token returns it) into an Ethereum signature:
    /// normalised to low-s, with the recovery id that yields `publicKey`, and verified.
    ///
    /// This is the hot path after every HSM signature: no allocation beyond the result's r and s.
    static func ethereumSignature(
        compact: UnsafeRawBufferPointer, digest: UnsafeRawBufferPointer, publicKey: Secp256k1PublicKey
    ) throws -> EthereumSignature {
        let context = Secp256k1Context.shared.pointer
        let digestBytes = digest.bindMemory(to: UInt8.self).baseAddress!
        var key = publicKey.key
        var raw = secp256k1_ecdsa_signature()
        guard compact.count == 64,
            secp256k1_ecdsa_signature_parse_compact(
                context, &raw, compact.bindMemory(to: UInt8.self).baseAddress!) == 1
        else {
            throw HSMError(.signatureInvalid, "the HSM returned a malformed ECDSA signature (\(compact.count) bytes)",
                           hint: "check the key is a secp256k1 key and the module supports CKM_ECDSA")
        }
        var lowS = secp256k1_ecdsa_signature()
        _ = secp256k1_ecdsa_signature_normalize(context, &lowS, &raw)
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { normalised in
            let normalisedBytes = normalised.baseAddress!
            _ = secp256k1_ecdsa_signature_serialize_compact(context, normalisedBytes, &lowS)
            // Verification by recovery: the recovered key Q' = r⁻¹(sR − eG) equals the token's key Q exactly when
            // sR = eG + rQ, which is the ECDSA verification equation. R is one of the two points with x = r:
            // recovery id 0 (even y) or 1 (odd y); the ~2^-128 case x(R) = r + n (ids 2 and 3) cannot be
            // expressed in Ethereum and fails here. Half the signatures need one recovery, half need two:
            // cheaper on average than verifying and then recovering once.
            var recoverable = secp256k1_ecdsa_recoverable_signature()
            var recovered = secp256k1_pubkey()
            func recovers(_ candidate: Int32) -> Bool {
                secp256k1_ecdsa_recoverable_signature_parse_compact(
                    context, &recoverable, normalisedBytes, candidate) == 1
                    && secp256k1_ecdsa_recover(context, &recovered, &recoverable, digestBytes) == 1
                    && secp256k1_ec_pubkey_cmp(context, &recovered, &key) == 0
            }
            let recoveryID: Int32
            if recovers(0) {
                recoveryID = 0
            } else if recovers(1) {
                recoveryID = 1
            } else {
                throw HSMError(.signatureInvalid, "the HSM's signature does not verify against the key's public key",
                               hint: "the token or key is faulty; do not use this signature")
            }
            return EthereumSignature(
                r: Array(normalised[0..<32]), s: Array(normalised[32..<64]), recoveryID: UInt8(recoveryID))
        }
    }

    private static func checkDigest(_ digest: [UInt8]) throws {
        guard digest.count == 32 else {
            throw HSMError(.invalidDigest, "a digest is 32 bytes, got \(digest.count)",
                           hint: "pass the Keccak-256 hash of the message, not the message")
        }
    }
}
