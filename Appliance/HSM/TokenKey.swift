import CPKCS11
import Ethereum

/// A secp256k1 key pair inside a token: the private half never leaves it; the public half is read once.
public struct TokenKey: Sendable {
    /// The key's `CKA_LABEL` (the same on both halves).
    public let label: String
    /// The key's `CKA_ID`.
    public let id: [UInt8]
    /// The handle of the private key object.
    public let privateKeyHandle: CK_OBJECT_HANDLE
    /// The public key, parsed once.
    public let publicKey: Secp256k1PublicKey

    /// The key's Ethereum address.
    public var address: Address { publicKey.address }
}
