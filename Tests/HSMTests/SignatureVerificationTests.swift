import Ethereum
@testable import HSM
import Testing
import TestSupport

/// The step after every `C_Sign`: a signature is returned only if it verifies against the token's own key.
@Suite struct SignatureVerificationTests {
    private func ethereumSignature(_ compact: [UInt8], _ digest: [UInt8], _ key: Secp256k1PublicKey) throws
        -> EthereumSignature
    {
        try compact.withUnsafeBytes { c in
            try digest.withUnsafeBytes { d in try Secp256k1.ethereumSignature(compact: c, digest: d, publicKey: key) }
        }
    }

    @Test func signatureFromTheTokenGetsTheRecoveryIDThatRecoversItsKey() throws {
        let token = try ThrowawayToken.shared()
        let signer = try token.signer(label: "keeper")
        for i in 0..<64 {
            let digest = Keccak256.hash([UInt8(i)])
            let raw = try signer.rawSign(digest: digest)
            let signature = try ethereumSignature(raw, digest, signer.key.publicKey)
            #expect(Secp256k1.isLowS(signature.s))
            #expect(try Secp256k1.recoverAddress(digest: digest, signature: signature) == signer.address)
        }
    }

    @Test func signatureOverAnotherDigestIsRefused() throws {
        let token = try ThrowawayToken.shared()
        let signer = try token.signer(label: "keeper")
        let raw = try signer.rawSign(digest: Keccak256.hash([1]))
        #expect(throws: HSMError.self) { try ethereumSignature(raw, Keccak256.hash([2]), signer.key.publicKey) }
    }

    @Test func signatureByAnotherKeyIsRefused() throws {
        let token = try ThrowawayToken.shared()
        let keeper = try token.signer(label: "keeper")
        let audit = try token.signer(label: "audit")
        let digest = Keccak256.hash([3])
        let raw = try audit.rawSign(digest: digest)
        #expect(throws: HSMError.self) { try ethereumSignature(raw, digest, keeper.key.publicKey) }
    }
}
