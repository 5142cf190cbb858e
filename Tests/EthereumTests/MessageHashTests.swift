import BigInt
import Foundation
import Testing

@testable import Ethereum

@Suite struct MessageHashTests {
    @Test func personalMessageHashMatchesEthAccount() throws {
        let cases = try Vectors.cases("eip191")
        #expect(cases.count == 4)
        for c in cases {
            #expect(PersonalMessage.hash(try Vectors.bytes(c["message"])).hexString == c["hash"] as? String)
        }
    }

    @Test func eip712MailExampleMatchesTheEIP() throws {
        let c = try Vectors.cases("eip712")[0]
        let typedData = try Vectors.typedData(c["typedData"])
        #expect(
            try EIP712.encodeType("Mail", types: typedData.types)
                == "Mail(Person from,Person to,string contents)Person(string name,address wallet)")
        #expect(
            try typedData.signingHash().hexString
                == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
        #expect(try typedData.domainSeparator().hexString == c["domainSeparator"] as? String)
    }

    @Test func eip712WithArraysBytesAndSignedIntegersMatchesEthAccount() throws {
        for c in try Vectors.cases("eip712") {
            let typedData = try Vectors.typedData(c["typedData"])
            #expect(try typedData.messageHash().hexString == c["messageHash"] as? String)
            #expect(try typedData.signingHash().hexString == c["signingHash"] as? String)
        }
    }

    @Test func eip712DomainTypeIsInferredFromStandardMembersWhenNotDeclared() throws {
        var typedData = try mail
        typedData.types["EIP712Domain"] = nil
        #expect(try typedData.signingHash().hexString
            == "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
        typedData.domain["version"] = nil
        #expect(try typedData.signingHash().hexString
            != "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
    }

    @Test func eip712ReferencedTypesAreSortedByName() throws {
        let types: [String: [EIP712.Field]] = [
            "Z": [.init(name: "b", type: "B[]"), .init(name: "a", type: "A")],
            "A": [.init(name: "x", type: "uint8")],
            "B": [.init(name: "a", type: "A[2]")],
        ]
        #expect(try EIP712.encodeType("Z", types: types) == "Z(B[] b,A a)A(uint8 x)B(A[2] a)")
    }

    private var mail: EIP712.TypedData {
        get throws { try Vectors.typedData(try Vectors.cases("eip712")[0]["typedData"]) }
    }

    @Test func eip712MessageWithMissingFieldIsRejected() throws {
        var typedData = try mail
        typedData.message["contents"] = nil
        #expect(throws: EIP712Error.self) { try typedData.signingHash() }
    }

    @Test func eip712MessageWithUnknownFieldIsRejected() throws {
        var typedData = try mail
        typedData.message["extra"] = .string("x")
        #expect(throws: EIP712Error.self) { try typedData.signingHash() }
    }

    @Test func eip712ValueOfWrongTypeIsRejected() throws {
        var typedData = try mail
        typedData.message["from"] = .string("Cow")
        #expect(throws: EIP712Error.self) { try typedData.signingHash() }
        typedData = try mail
        typedData.domain["chainId"] = .number(-1)
        #expect(throws: EIP712Error.self) { try typedData.signingHash() }
    }

    @Test func eip712FixedArrayOfWrongLengthIsRejected() throws {
        var typedData = try Vectors.typedData(try Vectors.cases("eip712")[1]["typedData"])
        typedData.message["scores"] = .array([.number(1)])
        #expect(throws: EIP712Error.self) { try typedData.signingHash() }
    }

    @Test func eip712UnknownTypeIsRejected() throws {
        var typedData = try mail
        typedData.types["Person"] = [.init(name: "name", type: "strin"), .init(name: "wallet", type: "address")]
        #expect(throws: EIP712Error.self) { try typedData.signingHash() }
    }

    static func safeTransaction(_ f: [String: Any]) throws -> SafeTransaction {
        SafeTransaction(
            to: try Address(hex: try (f["to"] as? String).orThrow()),
            value: try Vectors.bigUInt(f["value"]), data: try Vectors.bytes(f["data"]),
            operation: UInt8(try Vectors.bigUInt(f["operation"])),
            safeTxGas: try Vectors.bigUInt(f["safeTxGas"]), baseGas: try Vectors.bigUInt(f["baseGas"]),
            gasPrice: try Vectors.bigUInt(f["gasPrice"]),
            gasToken: try Address(hex: try (f["gasToken"] as? String).orThrow()),
            refundReceiver: try Address(hex: try (f["refundReceiver"] as? String).orThrow()),
            nonce: try Vectors.bigUInt(f["nonce"]))
    }

    @Test func safeTxHashMatchesSafeEthPy() throws {
        let cases = try Vectors.cases("safetx")
        #expect(cases.count == 5)
        for c in cases {
            let tx = try Self.safeTransaction(try (c["tx"] as? [String: Any]).orThrow())
            let hash = try tx.hash(
                chainID: UInt64(try Vectors.bigUInt(c["chainId"])),
                safe: try Address(hex: try (c["safe"] as? String).orThrow()))
            #expect(hash.hexString == c["safeTxHash"] as? String)
        }
    }

    @Test func safeTxHashAgreesWithGenericEIP712() throws {
        let c = try Vectors.cases("safetx")[1]
        let f = try (c["tx"] as? [String: Any]).orThrow()
        let tx = try Self.safeTransaction(f)
        let fieldTypes = [
            ("to", "address"), ("value", "uint256"), ("data", "bytes"), ("operation", "uint8"),
            ("safeTxGas", "uint256"), ("baseGas", "uint256"), ("gasPrice", "uint256"),
            ("gasToken", "address"), ("refundReceiver", "address"), ("nonce", "uint256"),
        ]
        var message = [String: EIP712.Value]()
        for (name, _) in fieldTypes {
            // Numbers as decimal strings, addresses and bytes as hex: all strings in typed-data JSON.
            message[name] = .string(try (f[name] as? String).orThrow())
        }
        let typedData = EIP712.TypedData(
            types: [
                "EIP712Domain": [
                    .init(name: "chainId", type: "uint256"), .init(name: "verifyingContract", type: "address"),
                ],
                "SafeTx": fieldTypes.map { EIP712.Field(name: $0.0, type: $0.1) },
            ],
            primaryType: "SafeTx",
            domain: [
                "chainId": .string(try (c["chainId"] as? String).orThrow()),
                "verifyingContract": .string(try (c["safe"] as? String).orThrow()),
            ],
            message: message)
        #expect(try EIP712.encodeType("SafeTx", types: typedData.types) == SafeTransaction.typeString)
        let chainID = UInt64(try Vectors.bigUInt(c["chainId"]))
        let safe = try Address(hex: try (c["safe"] as? String).orThrow())
        #expect(try typedData.signingHash() == (try tx.hash(chainID: chainID, safe: safe)))
    }

    @Test func safeTxHashChangesWithEveryField() throws {
        let base = SafeTransaction(to: .zero, data: [], nonce: 0)
        let safe = try Address(hex: "0x" + String(repeating: "11", count: 20))
        let reference = try base.hash(chainID: 1, safe: safe)
        var variants = [SafeTransaction]()
        for i in 0..<10 {
            var t = base
            switch i {
            case 0: t.to = safe
            case 1: t.value = 1
            case 2: t.data = [0]
            case 3: t.operation = 1
            case 4: t.safeTxGas = 1
            case 5: t.baseGas = 1
            case 6: t.gasPrice = 1
            case 7: t.gasToken = safe
            case 8: t.refundReceiver = safe
            default: t.nonce = 1
            }
            variants.append(t)
        }
        let hashes = try variants.map { try $0.hash(chainID: 1, safe: safe) }
        #expect(Set(hashes.map(\.hexString)).count == 10)
        #expect(!hashes.contains(reference))
        #expect(try base.hash(chainID: 2, safe: safe) != reference)
        #expect(try base.hash(chainID: 1, safe: .zero) != reference)
    }
}
