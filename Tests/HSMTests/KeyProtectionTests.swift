import CPKCS11
import Ethereum
import HSM
import Testing
import TestSupport

@Suite("HSM key protection")
struct KeyProtectionTests {
    @Test func tokenRefusesToRevealThePrivateKeyValue() throws {
        let token = try ThrowawayToken.shared()
        let key = try #require(token.keys["keeper"])
        do {
            let value = try token.pool.privateKeyAttribute(UInt(CKA_VALUE), of: key)
            Issue.record("the token revealed \(value.count) bytes of CKA_VALUE")
        } catch let error as HSMError {
            #expect(error.code == .attributeSensitive)
            #expect(error.returnValue == UInt(CKR_ATTRIBUTE_SENSITIVE))
        }
    }

    @Test func privateKeyIsSensitiveAndNotExtractable() throws {
        let token = try ThrowawayToken.shared()
        let key = try #require(token.keys["keeper"])
        #expect(try token.pool.privateKeyAttribute(UInt(CKA_SENSITIVE), of: key) == [1])
        #expect(try token.pool.privateKeyAttribute(UInt(CKA_EXTRACTABLE), of: key) == [0])
        #expect(try token.pool.privateKeyAttribute(UInt(CKA_TOKEN), of: key) == [1])
        #expect(try token.pool.privateKeyAttribute(UInt(CKA_PRIVATE), of: key) == [1])
        #expect(try token.pool.privateKeyAttribute(UInt(CKA_EC_PARAMS), of: key) == [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a])
    }

    @Test func keyFoundAgainByLabelHasTheSameAddress() throws {
        let token = try ThrowawayToken.shared()
        let key = try #require(token.keys["audit"])
        let found = try token.pool.findKey(label: "audit")
        #expect(found.address == key.address)
        #expect(found.id == key.id)
        #expect(try Address(publicKey: found.publicKey.uncompressed) == key.address)
    }

    @Test func reprovisioningKeepsTheTokenAndKeys() throws {
        let first = try ThrowawayToken.make(keyLabels: ["keeper", "audit"])
        let again = try TokenProvisioning(
            module: first.module, tokenLabel: first.label, pinFile: first.pinFile,
            soPINFile: first.pinFile + "-unused", keyLabels: ["keeper", "audit"]
        ).run()
        #expect(again.tokenCreated == false)
        #expect(again.keysCreated.isEmpty)
        #expect(again.keys.map(\.address) == [first.keys["keeper"]!.address, first.keys["audit"]!.address])
    }
}
