import Ethereum
import Foundation
import HSM
import Testing
import TestSupport

@Suite("HSM signing")
struct SigningTests {
    private func randomDigest() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    @Test func everySignatureIsLowSAndRecoversToTheKeyAddressIncludingLeadingZeroRAndS() throws {
        let signer = try ThrowawayToken.shared().signer()
        var sawZeroLeadingR = false
        var sawZeroLeadingS = false
        var signed = 0
        // At least 1,000 signatures; keep going (up to 6,000) until both r and s have been seen with a leading
        // zero byte, which happens about once in 256 (r) and once in 128 (low s) signatures.
        while signed < 1_000 || !(sawZeroLeadingR && sawZeroLeadingS), signed < 6_000 {
            let digest = randomDigest()
            let signature = try signer.sign(digest: digest)
            #expect(signature.r.count == 32 && signature.s.count == 32)
            #expect(Secp256k1.isLowS(signature.s), "high s at signature \(signed)")
            #expect(try Secp256k1.recoverAddress(digest: digest, signature: signature) == signer.address)
            #expect(Secp256k1.verify(digest: digest, signature: signature, publicKey: signer.key.publicKey))
            sawZeroLeadingR = sawZeroLeadingR || signature.r[0] == 0
            sawZeroLeadingS = sawZeroLeadingS || signature.s[0] == 0
            signed += 1
        }
        #expect(sawZeroLeadingR, "no signature with r[0] == 0 in \(signed) signatures")
        #expect(sawZeroLeadingS, "no signature with s[0] == 0 in \(signed) signatures")
    }

    @Test func rawSignatureIsSixtyFourBytesAndBecomesValidOnceNormalised() throws {
        let signer = try ThrowawayToken.shared().signer()
        let digest = randomDigest()
        let raw = try signer.rawSign(digest: digest)
        #expect(raw.count == 64)
        var s = Array(raw[32..<64])
        if !Secp256k1.isLowS(s) { s = subtract(Secp256k1.curveOrder, s) }
        let recovered = (0...1).compactMap { id in
            try? Secp256k1.recoverAddress(
                digest: digest, signature: EthereumSignature(r: Array(raw[0..<32]), s: s, recoveryID: UInt8(id)))
        }
        #expect(recovered.contains(signer.address))
    }

    @Test func concurrentSigningFromFourThreadsProducesValidSignatures() throws {
        let signer = try ThrowawayToken.shared().signer()
        let failures = UniqueCounter()
        let successes = UniqueCounter()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<50 {
                let digest = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
                do {
                    let signature = try signer.sign(digest: digest)
                    if try Secp256k1.recoverAddress(digest: digest, signature: signature) == signer.address {
                        _ = successes.next()
                    } else {
                        _ = failures.next()
                    }
                } catch {
                    _ = failures.next()
                }
            }
        }
        #expect(failures.next() == 1, "some concurrent signatures failed")
        #expect(successes.next() == 201)
    }

    @Test func signerRefusesADigestThatIsNot32Bytes() throws {
        let signer = try ThrowawayToken.shared().signer()
        #expect(throws: HSMError.self) { _ = try signer.sign(digest: [1, 2, 3]) }
        do {
            _ = try signer.sign(digest: [UInt8](repeating: 1, count: 33))
            Issue.record("a 33-byte digest was signed")
        } catch let error as HSMError {
            #expect(error.code == .invalidDigest)
        }
    }

    @Test func keeperAndAuditKeysHaveDifferentAddresses() throws {
        let token = try ThrowawayToken.shared()
        #expect(try token.signer(label: "keeper").address != token.signer(label: "audit").address)
    }

    /// a − b for 32-byte big-endian numbers with a ≥ b.
    private func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            var digit = Int(a[i]) - Int(b[i]) - borrow
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 256 }
            result[i] = UInt8(digit)
        }
        return result
    }
}
