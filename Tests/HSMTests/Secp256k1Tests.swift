import Ethereum
@testable import HSM
import Testing

@Suite("secp256k1 recovery and verification")
struct Secp256k1Tests {
    // The EIP-155 example transaction (chain id 1, v = 37 → recovery id 0).
    private let digest = try! Hex.decode("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
    private let signature = EthereumSignature(
        r: try! Hex.decode("0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276"),
        s: try! Hex.decode("0x67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"),
        recoveryID: 0)
    private let signer = try! Address(hex: "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")

    @Test func eip155ExampleSignatureRecoversItsSender() throws {
        #expect(try Secp256k1.recoverAddress(digest: digest, signature: signature) == signer)
        #expect(Secp256k1.verify(digest: digest, signature: signature, address: signer))
        let key = try Secp256k1.recoverPublicKey(digest: digest, signature: signature)
        #expect(Secp256k1.verify(digest: digest, signature: signature, publicKey: key))
    }

    @Test func otherRecoveryIDOrTamperedDigestRecoversSomeoneElse() throws {
        let flipped = EthereumSignature(r: signature.r, s: signature.s, recoveryID: 1)
        #expect(try Secp256k1.recoverAddress(digest: digest, signature: flipped) != signer)
        var tampered = digest
        tampered[31] ^= 1
        #expect(try Secp256k1.recoverAddress(digest: tampered, signature: signature) != signer)
        #expect(!Secp256k1.verify(digest: tampered, signature: signature, address: signer))
    }

    @Test func highSVariantOfAValidSignatureIsRefused() throws {
        // n − s: the malleable twin of the EIP-155 signature.
        let highS: [UInt8] = try Hex.decode("0x98341627668089e51348fccfb4c7ff31c55912f2d2e47ef09652acf665fad3be")
        let twin = EthereumSignature(r: signature.r, s: highS, recoveryID: 1)
        #expect(!Secp256k1.isLowS(highS))
        #expect(throws: HSMError.self) { _ = try Secp256k1.recoverAddress(digest: digest, signature: twin) }
    }

    @Test func zeroROrShortDigestIsMalformed() {
        let zeroR = EthereumSignature(r: [UInt8](repeating: 0, count: 32), s: signature.s, recoveryID: 0)
        #expect(throws: HSMError.self) { _ = try Secp256k1.recoverAddress(digest: digest, signature: zeroR) }
        #expect(throws: HSMError.self) { _ = try Secp256k1.recoverAddress(digest: [1], signature: signature) }
    }

    @Test func ecPointIsReadFromItsDEROctetString() throws {
        let point = [UInt8](repeating: 7, count: 65).enumerated().map { $0.offset == 0 ? 4 : $0.element }
        #expect(try ECPoint.uncompressedPoint(fromDER: [0x04, 0x41] + point) == point)
        #expect(throws: HSMError.self) { _ = try ECPoint.uncompressedPoint(fromDER: [0x04, 0x81, 0x41] + point) }
        #expect(try ECPoint.uncompressedPoint(fromDER: point) == point)
        #expect(throws: HSMError.self) { _ = try ECPoint.uncompressedPoint(fromDER: [0x04, 0x42] + point) }
        #expect(throws: HSMError.self) { _ = try ECPoint.uncompressedPoint(fromDER: [0x04, 0x41] + point + [0]) }
        #expect(throws: HSMError.self) { _ = try ECPoint.uncompressedPoint(fromDER: [0x03, 0x41] + point) }
    }
}
