import BigInt
import Foundation
import Testing

@testable import Ethereum

@Suite struct ABITests {
    @Test func referenceEncodingsMatchEthAbi() throws {
        let cases = try Vectors.cases("abi")
        #expect(cases.count >= 7)
        for c in cases {
            let types = try (c["types"] as? [String]).orThrow().map { try ABIType(parsing: $0) }
            let values = try zip(types, (c["values"] as? [Any]).orThrow()).map { try Vectors.abiValue($0, $1) }
            let expected = try Vectors.bytes(c["encoded"])
            #expect(try ABI.encode(types, values) == expected, "\(types)")
            #expect(try ABI.decode(types, expected) == values, "\(types)")
        }
    }

    @Test func officialBasicAbiTestsEncode() throws {
        let vectors = try Vectors.load("basic_abi_tests").filter { !$0.key.hasPrefix("_") }
        #expect(vectors.count == 3)
        for (name, value) in vectors {
            let test = try (value as? [String: Any]).orThrow()
            let types = try (test["types"] as? [String]).orThrow().map { try ABIType(parsing: $0) }
            let values = try zip(types, (test["args"] as? [Any]).orThrow()).map { try Vectors.abiValue($0, $1) }
            let expected = try Vectors.bytes(test["result"])
            #expect(try ABI.encode(types, values) == expected, "\(name)")
            #expect(try ABI.decode(types, expected) == values, "\(name)")
        }
    }

    @Test func selectorsMatchReference() throws {
        let selectors = try (Vectors.load("abi")["selectors"] as? [String: String]).orThrow()
        for (signature, expected) in selectors {
            #expect(ABI.selector(signature).hexString == expected)
            #expect(try ABIFunction(signature: signature).selector.hexString == expected)
        }
        #expect(ABI.selector("transfer(address,uint256)").hexString == "0xa9059cbb")
    }

    @Test func callRoundTripsThroughItsSignature() throws {
        let signature = "rebalance((address,uint16)[],uint16,uint16,uint256)"
        let values: [ABIValue] = [
            .array([.tuple([.address(try Address(hex: "0x" + String(repeating: "11", count: 20))), .uint(6000)])]),
            .uint(50), .uint(100), .uint(BigUInt(10).power(18)),
        ]
        let calldata = try ABI.encodeCall(signature: signature, values: values)
        #expect(Array(calldata.prefix(4)) == ABI.selector(signature))
        #expect(try ABI.decodeCall(signature: signature, calldata: calldata) == values)
    }

    @Test func calldataForAnotherFunctionIsRejected() throws {
        let calldata = try ABI.encodeCall(signature: "approve(address,uint256)", values: [.address(.zero), .uint(1)])
        #expect(throws: ABIError(.selectorMismatch, "")) {
            try ABI.decodeCall(signature: "transfer(address,uint256)", calldata: calldata)
        }
    }

    @Test func nonCanonicalSignaturesAreRejected() {
        for bad in ["transfer(address, uint256)", "transfer(address,uint)", "transfer", "(uint8)", "f(uint8", "1f()"] {
            #expect(throws: ABIError.self, "\(bad)") { try ABIFunction(signature: bad) }
        }
        #expect(throws: Never.self) { try ABIFunction(signature: "f()") }
    }

    @Test func typeStringsParseAndRenderCanonically() throws {
        for text in [
            "address", "bool", "uint8", "uint256", "int8", "int256", "bytes1", "bytes32", "bytes", "string",
            "uint256[]", "address[3]", "(address,uint16)[]", "((uint8,bytes)[2],string)[][4]",
        ] {
            #expect(try ABIType(parsing: text).description == text)
        }
    }

    @Test func malformedTypeStringsAreRejected() {
        for bad in [
            "uint", "int", "uint7", "uint264", "int0", "bytes0", "bytes33", "uint08", "address[0]", "()",
            "(uint8", "uint8)", "uint8[", "uint8[2", "uint8[-1]", "(uint8,)", "(,uint8)", "Uint8", "",
            "uint256[99999999]", "bool[65536][65536]", "tuple", "function",
        ] {
            #expect(throws: ABIError.self, "\(bad)") { try ABIType(parsing: bad) }
        }
    }

    @Test func deeplyNestedTypeIsRejected() {
        #expect(throws: ABIError.self) { try ABIType(parsing: "uint8" + String(repeating: "[]", count: 40)) }
        #expect(throws: ABIError.self) {
            try ABIType(parsing: String(repeating: "(", count: 40) + "uint8" + String(repeating: ")", count: 40))
        }
    }

    @Test func valuesOutOfRangeForTheirTypeAreNotEncoded() throws {
        #expect(throws: ABIError(.valueOutOfRange, "")) { try ABI.encode([.uint(bits: 8)], [.uint(256)]) }
        #expect(throws: ABIError(.valueOutOfRange, "")) { try ABI.encode([.int(bits: 8)], [.int(128)]) }
        #expect(throws: ABIError(.valueOutOfRange, "")) { try ABI.encode([.int(bits: 8)], [.int(-129)]) }
        #expect(throws: ABIError(.valueOutOfRange, "")) { try ABI.encode([.fixedBytes(4)], [.fixedBytes([1, 2, 3])]) }
        #expect(throws: ABIError(.countMismatch, "")) {
            try ABI.encode([.fixedArray(.bool, 2)], [.array([.bool(true)])])
        }
        #expect(throws: ABIError(.valueDoesNotMatchType, "")) { try ABI.encode([.bool], [.uint(1)]) }
        #expect(try ABI.encode([.int(bits: 8)], [.int(-128)]) == [UInt8](repeating: 0xff, count: 31) + [0x80])
    }

    // MARK: Strict decoding: one named test per rejection class.

    private func word(_ bytes: [UInt8]) -> [UInt8] { [UInt8](repeating: 0, count: 32 - bytes.count) + bytes }

    private func rejection(_ types: [String], _ data: [UInt8]) -> ABIError.Code? {
        do {
            _ = try ABI.decode(types.map { try ABIType(parsing: $0) }, data)
            return nil
        } catch let error as ABIError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func uintWithHighBitsSetIsRejected() {
        #expect(rejection(["uint8"], word([0x01, 0x00])) == .valueOutOfRange)
        #expect(rejection(["uint8"], word([0xff])) == nil)
    }

    @Test func intWithWrongSignExtensionIsRejected() {
        #expect(rejection(["int8"], word([0x80])) == .valueOutOfRange)  // -128 needs 0xff…ff80
        #expect(rejection(["int8"], [UInt8](repeating: 0xff, count: 31) + [0x7f]) == .valueOutOfRange)
        #expect(rejection(["int8"], [UInt8](repeating: 0xff, count: 31) + [0x80]) == nil)
    }

    @Test func boolOtherThanZeroOrOneIsRejected() {
        #expect(rejection(["bool"], word([2])) == .valueOutOfRange)
        #expect(rejection(["bool"], [1] + word([]).dropFirst()) == .valueOutOfRange)
    }

    @Test func addressWithNonzeroHighBytesIsRejected() {
        #expect(rejection(["address"], [1] + [UInt8](repeating: 0, count: 31)) == .valueOutOfRange)
    }

    @Test func fixedBytesWithNonzeroPaddingIsRejected() {
        #expect(rejection(["bytes4"], [1, 2, 3, 4, 5] + [UInt8](repeating: 0, count: 27)) == .invalidPadding)
    }

    @Test func dynamicBytesWithNonzeroPaddingIsRejected() {
        #expect(
            rejection(["bytes"], word([32]) + word([1]) + [0xaa, 0x01] + [UInt8](repeating: 0, count: 30))
                == .invalidPadding)
    }

    @Test func invalidUTF8StringIsRejected() {
        #expect(
            rejection(["string"], word([32]) + word([1]) + [0xff] + [UInt8](repeating: 0, count: 31)) == .invalidUTF8)
    }

    @Test func truncatedDataIsRejected() {
        #expect(rejection(["uint256"], [UInt8](repeating: 0, count: 31)) == .truncated)
        #expect(rejection(["bytes"], word([32]) + word([33]) + [UInt8](repeating: 0, count: 32)) == .truncated)
        #expect(rejection(["uint256", "uint256"], word([1])) == .truncated)
    }

    @Test func trailingBytesAreRejected() {
        #expect(rejection(["uint256"], word([1]) + [0]) == .nonCanonical)
    }

    @Test func offsetBeyondTheDataIsRejected() {
        #expect(rejection(["bytes"], word([0x40])) == .invalidOffset)
        #expect(rejection(["bytes"], [0xff] + [UInt8](repeating: 0, count: 31)) == .invalidOffset)
    }

    @Test func offsetNotPointingAtTheNextTailIsRejected() {
        // Two strings sharing one tail (aliasing), and a gap before a tail.
        let aliased = word([0x40]) + word([0x40]) + word([1]) + [0x61] + [UInt8](repeating: 0, count: 31)
        #expect(rejection(["string", "string"], aliased) == .invalidOffset)
        let gap = word([0x40]) + word([]) + word([0])
        #expect(rejection(["bytes"], gap) == .invalidOffset)
    }

    @Test func hugeArrayLengthIsRejectedBeforeAllocating() {
        #expect(rejection(["uint256[]"], word([32]) + [UInt8](repeating: 0xff, count: 32)) == .invalidLength)
        #expect(rejection(["uint256[]"], word([32]) + word([0x7f, 0xff, 0xff, 0xff])) == .invalidLength)
        #expect(rejection(["bytes"], word([32]) + word([0x10, 0, 0, 0])) == .invalidLength)
    }

    @Test func emptyTupleCannotBeUsed() {
        #expect(throws: ABIError(.invalidType, "")) {
            try ABI.decode([.array(.tuple([]))], [UInt8](repeating: 0, count: 64))
        }
    }
}
