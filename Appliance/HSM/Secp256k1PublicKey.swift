import CSecp256k1
import Ethereum

/// A secp256k1 public key, parsed once by libsecp256k1 so that signing and verification do not re-parse it.
public struct Secp256k1PublicKey: Sendable, Equatable {
    /// libsecp256k1's parsed form.
    let key: secp256k1_pubkey
    /// The 65-byte uncompressed encoding, 0x04‖X‖Y.
    public let uncompressed: [UInt8]
    /// The Ethereum address of the key.
    public let address: Address

    /// Parses an uncompressed key: 64 bytes X‖Y or 65 bytes 0x04‖X‖Y. The point must lie on the curve.
    public init(uncompressed bytes: [UInt8]) throws {
        let encoded: [UInt8]
        switch bytes.count {
        case 64: encoded = [0x04] + bytes
        case 65 where bytes[0] == 0x04: encoded = bytes
        default:
            throw HSMError(.keyInvalid, "an uncompressed secp256k1 public key is 64 or 65 (0x04…) bytes, got \(bytes.count)",
                           hint: "use a secp256k1 key (CKA_EC_PARAMS 1.3.132.0.10)")
        }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Secp256k1Context.shared.pointer, &key, encoded, encoded.count) == 1 else {
            throw HSMError(.keyInvalid, "the public key is not a point on secp256k1",
                           hint: "use a secp256k1 key (CKA_EC_PARAMS 1.3.132.0.10)")
        }
        try self.init(key: key, uncompressed: encoded)
    }

    /// Wraps a key libsecp256k1 produced itself (for example by recovery).
    init(key: secp256k1_pubkey) throws {
        var key = key
        var encoded = [UInt8](repeating: 0, count: 65)
        var length = 65
        _ = secp256k1_ec_pubkey_serialize(
            Secp256k1Context.shared.pointer, &encoded, &length, &key, UInt32(SECP256K1_EC_UNCOMPRESSED))
        try self.init(key: key, uncompressed: encoded)
    }

    private init(key: secp256k1_pubkey, uncompressed: [UInt8]) throws {
        self.key = key
        self.uncompressed = uncompressed
        self.address = try Address(publicKey: uncompressed)
    }

    public static func == (lhs: Secp256k1PublicKey, rhs: Secp256k1PublicKey) -> Bool {
        lhs.uncompressed == rhs.uncompressed
    }
}
