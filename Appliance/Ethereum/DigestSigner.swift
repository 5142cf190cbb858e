/// Something that signs 32-byte digests with one secp256k1 key: the HSM in production and in tests.
///
/// The appliance builds every digest itself from checked fields; a signer never sees bytes from a client.
public protocol DigestSigner: Sendable {
    /// The address of the signing key.
    var address: Address { get }
    /// An Ethereum signature (low-s, recovery id) over `digest`, already verified against the key.
    func sign(digest: [UInt8]) throws -> EthereumSignature
}
