import Crypto
import Ethereum

/// The SHA-256 of a policy file's exact bytes: what governance signers sign (EIP-191) and what `status` reports.
public enum PolicyDigest {
    /// Lower-case hex, no prefix (as `sha256sum` prints it).
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        Hex.encode(Array(SHA256.hash(data: bytes)), prefix: false)
    }

    /// The 32 raw bytes.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// The EIP-191 digest a governance signer signs for a policy: the personal-message hash of the 32 SHA-256 bytes.
    public static func governanceDigest(policyBytes: [UInt8]) -> [UInt8] {
        PersonalMessage.hash(sha256(policyBytes))
    }
}
