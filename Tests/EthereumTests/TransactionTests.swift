import BigInt
import Foundation
import Testing

@testable import Ethereum

@Suite struct TransactionTests {
    static func transaction(_ f: [String: Any]) throws -> EIP1559Transaction {
        let accessList = try (f["accessList"] as? [[String: Any]] ?? []).map { entry in
            try AccessListEntry(
                address: Address(hex: try (entry["address"] as? String).orThrow()),
                storageKeys: try (entry["storageKeys"] as? [String] ?? []).map { try Hex.decode($0) })
        }
        return EIP1559Transaction(
            chainID: UInt64(try Vectors.bigUInt(f["chainId"])),
            nonce: UInt64(try Vectors.bigUInt(f["nonce"])),
            maxPriorityFeePerGas: try Vectors.bigUInt(f["maxPriorityFeePerGas"]),
            maxFeePerGas: try Vectors.bigUInt(f["maxFeePerGas"]),
            gasLimit: UInt64(try Vectors.bigUInt(f["gas"])),
            to: try (f["to"] as? String).map { try Address(hex: $0) },
            value: try Vectors.bigUInt(f["value"]),
            data: try Vectors.bytes(f["data"]),
            accessList: accessList)
    }

    static func signature(_ c: [String: Any]) throws -> EthereumSignature {
        EthereumSignature(
            r: try Vectors.bigUInt(c["r"]).bigEndianBytes(width: 32),
            s: try Vectors.bigUInt(c["s"]).bigEndianBytes(width: 32),
            recoveryID: UInt8(try (c["yParity"] as? Int).orThrow()))
    }

    @Test func eip155ExampleSigningHashMatchesTheEIP() throws {
        let v = try Vectors.load("eip155")
        let tx = LegacyTransaction(
            nonce: 9, gasPrice: BigUInt(20_000_000_000), gasLimit: 21000,
            to: try Address(hex: "0x3535353535353535353535353535353535353535"),
            value: BigUInt(10).power(18), data: [])
        #expect(tx.signingHash(chainID: 1).hexString == v["signingHash"] as? String)
        #expect(
            tx.signingHash(chainID: 1).hexString
                == "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
    }

    @Test func eip1559SigningHashRawBytesAndHashMatchEthAccount() throws {
        let cases = try Vectors.cases("eip1559")
        #expect(cases.count == 6)
        for c in cases {
            let tx = try Self.transaction(try (c["fields"] as? [String: Any]).orThrow())
            let signature = try Self.signature(c)
            #expect(tx.signingHash.hexString == c["signingHash"] as? String)
            #expect(tx.rawTransaction(signedWith: signature).hexString == c["raw"] as? String)
            #expect(tx.transactionHash(signedWith: signature).hexString == c["hash"] as? String)
        }
    }

    @Test func signedRawTransactionDecodesBackToItsFields() throws {
        for c in try Vectors.cases("eip1559") {
            let decoded = try SignedEIP1559Transaction(raw: try Vectors.bytes(c["raw"]))
            #expect(decoded.transaction == (try Self.transaction(try (c["fields"] as? [String: Any]).orThrow())))
            #expect(decoded.signature == (try Self.signature(c)))
            #expect(decoded.hash.hexString == c["hash"] as? String)
        }
    }

    @Test func officialTtEIP1559EncodingVectorsAreAcceptedOrRejected() throws {
        let vectors = try Vectors.load("ttEIP1559").filter { !$0.key.hasPrefix("_") }
        #expect(vectors.count == 2)
        for (name, value) in vectors {
            let test = try (value as? [String: Any]).orThrow()
            let raw = try Vectors.bytes(test["txbytes"])
            if try (test["valid"] as? Bool).orThrow() {
                let decoded = try SignedEIP1559Transaction(raw: raw)
                #expect(decoded.raw == raw, "\(name)")
            } else {
                #expect(throws: (any Error).self, "\(name)") { try SignedEIP1559Transaction(raw: raw) }
            }
        }
    }

    // MARK: Strict decoder rejections.

    private var validRaw: [UInt8] {
        get throws { try Vectors.bytes(try Vectors.cases("eip1559")[4]["raw"]) }
    }

    private func reencode(_ mutate: (inout [RLPItem]) -> Void) throws -> [UInt8] {
        var fields = try RLP.decode(Array(try validRaw.dropFirst())).listValue()
        mutate(&fields)
        return [0x02] + RLP.encode(.list(fields))
    }

    @Test func transactionWithoutType2PrefixIsRejected() throws {
        #expect(throws: TransactionDecodingError.self) {
            try SignedEIP1559Transaction(raw: Array(try validRaw.dropFirst()))
        }
        #expect(throws: TransactionDecodingError.self) {
            try SignedEIP1559Transaction(raw: [0x01] + (try validRaw.dropFirst()))
        }
    }

    @Test func truncatedTransactionIsRejected() throws {
        let raw = try validRaw
        #expect(throws: RLPError(.truncated, "")) { try SignedEIP1559Transaction(raw: Array(raw.dropLast())) }
    }

    @Test func transactionWithTrailingBytesIsRejected() throws {
        #expect(throws: RLPError(.trailingBytes, "")) { try SignedEIP1559Transaction(raw: (try validRaw) + [0]) }
    }

    @Test func transactionWithWrongFieldCountIsRejected() throws {
        let raw = try reencode { $0.removeLast() }
        #expect(throws: TransactionDecodingError.self) { try SignedEIP1559Transaction(raw: raw) }
    }

    @Test func integerWithLeadingZeroInTransactionIsRejected() throws {
        let raw = try reencode { $0[1] = .bytes([0x00, 0x07]) }
        #expect(throws: RLPError(.leadingZeroInInteger, "")) { try SignedEIP1559Transaction(raw: raw) }
    }

    @Test func chainIDBeyond64BitsIsRejected() throws {
        let raw = try reencode { $0[0] = .bytes([UInt8](repeating: 1, count: 9)) }
        #expect(throws: RLPError(.integerTooLarge, "")) { try SignedEIP1559Transaction(raw: raw) }
    }

    @Test func recipientOfWrongLengthIsRejected() throws {
        let raw = try reencode { $0[5] = .bytes([UInt8](repeating: 1, count: 19)) }
        #expect(throws: TransactionDecodingError.self) { try SignedEIP1559Transaction(raw: raw) }
    }

    @Test func yParityOtherThanZeroOrOneIsRejected() throws {
        let raw = try reencode { $0[9] = .uint(UInt64(27)) }
        #expect(throws: TransactionDecodingError.self) { try SignedEIP1559Transaction(raw: raw) }
    }

    @Test func highSSignatureIsRejected() throws {
        let raw = try reencode { $0[11] = .uint(SignedEIP1559Transaction.curveOrder - 1) }
        #expect(throws: TransactionDecodingError.self) { try SignedEIP1559Transaction(raw: raw) }
    }

    @Test func zeroRIsRejected() throws {
        let raw = try reencode { $0[10] = .uint(UInt64(0)) }
        #expect(throws: TransactionDecodingError.self) { try SignedEIP1559Transaction(raw: raw) }
    }

    @Test func malformedAccessListIsRejected() throws {
        let raw = try reencode {
            $0[8] = .list([.list([.bytes([UInt8](repeating: 1, count: 20)), .list([.bytes([1])])])])
        }
        #expect(throws: TransactionDecodingError.self) { try SignedEIP1559Transaction(raw: raw) }
    }

    @Test func signatureWithLeadingZeroBytesEncodesMinimally() throws {
        let tx = EIP1559Transaction(
            chainID: 1, nonce: 0, maxPriorityFeePerGas: 1, maxFeePerGas: 1, gasLimit: 21000,
            to: .zero, value: 0, data: [])
        let signature = EthereumSignature(
            r: [0] + [UInt8](repeating: 1, count: 31), s: [0, 0] + [UInt8](repeating: 2, count: 30),
            recoveryID: 1)
        let fields = try RLP.decode(Array(tx.rawTransaction(signedWith: signature).dropFirst())).listValue()
        #expect(try fields[10].bytesValue().count == 31)
        #expect(try fields[11].bytesValue().count == 30)
        #expect(try SignedEIP1559Transaction(raw: tx.rawTransaction(signedWith: signature)).signature == signature)
    }
}
