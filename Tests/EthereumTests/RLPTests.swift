import BigInt
import Foundation
import Testing
import TestSupport

@testable import Ethereum

@Suite struct RLPTests {
    /// The upstream `in` convention: strings are UTF-8 bytes, "#n" and JSON numbers are integers.
    static func item(_ any: Any) throws -> RLPItem {
        switch any {
        case let items as [Any]: return .list(try items.map(item))
        case let text as String where text.hasPrefix("#"):
            return .uint(try BigUInt(text.dropFirst(), radix: 10).orThrow())
        case let text as String: return .bytes(Array(text.utf8))
        case let number as NSNumber: return .uint(number.uint64Value)
        default: throw Vectors.VectorError(description: "bad rlp input \(any)")
        }
    }

    @Test func officialValidVectorsEncodeAndDecodeExactly() throws {
        let vectors = try Vectors.load("rlptest").filter { !$0.key.hasPrefix("_") }
        #expect(vectors.count >= 27)
        for (name, value) in vectors {
            let test = try (value as? [String: Any]).orThrow()
            let expected = try Vectors.bytes(test["out"])
            let input = try Self.item(try test["in"].orThrow())
            #expect(RLP.encode(input) == expected, "\(name)")
            #expect(try RLP.decode(expected) == input, "\(name)")
        }
    }

    @Test func officialInvalidVectorsAreAllRejected() throws {
        let vectors = try Vectors.load("invalidRLPTest").filter { !$0.key.hasPrefix("_") }
        #expect(vectors.count == 17)
        for (name, value) in vectors {
            let bytes = try Vectors.bytes((value as? [String: Any])?["out"])
            #expect(throws: RLPError.self, "\(name)") { try RLP.decode(bytes) }
        }
    }

    private func rejection(_ hex: String) -> RLPError.Code? {
        do {
            _ = try RLP.decode(try Hex.decode(hex))
            return nil
        } catch let error as RLPError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func emptyInputIsTruncated() { #expect(rejection("") == .truncated) }
    @Test func shortStringMissingPayloadIsTruncated() { #expect(rejection("83646f") == .truncated) }
    @Test func longStringMissingLengthBytesIsTruncated() { #expect(rejection("b9") == .truncated) }
    @Test func longStringMissingPayloadIsTruncated() {
        #expect(rejection("b838" + String(repeating: "61", count: 55)) == .truncated)
    }
    @Test func listWhoseChildOverrunsItIsTruncated() { #expect(rejection("c283646f67") == .truncated) }
    @Test func bytesAfterTheItemAreRejected() { #expect(rejection("8000") == .trailingBytes) }
    @Test func singleByteBelow0x80WrappedInAPrefixIsRejected() { #expect(rejection("8100") == .nonCanonicalSingleByte) }
    @Test func singleByte0x80WithPrefixIsAccepted() throws { #expect(try RLP.decode([0x81, 0x80]) == .bytes([0x80])) }
    @Test func longFormForShortStringIsRejected() { #expect(rejection("b801ff") == .nonCanonicalLength) }
    @Test func longFormForShortListIsRejected() { #expect(rejection("f80180") == .nonCanonicalLength) }
    @Test func leadingZeroInStringLengthIsRejected() { #expect(rejection("b900380000") == .nonCanonicalLength) }
    @Test func leadingZeroInListLengthIsRejected() { #expect(rejection("f90038") == .nonCanonicalLength) }
    @Test func lengthBeyondIntIsOverflow() { #expect(rejection("bfffffffffffffffff00") == .lengthOverflow) }
    @Test func hugeLengthThatFitsIntIsTruncatedNotAllocated() {
        #expect(rejection("bf7fffffffffffffff00") == .truncated)
    }

    @Test func nestingBeyondLimitIsRejected() throws {
        func nested(_ depth: Int) -> [UInt8] {
            var item = RLPItem.list([])
            for _ in 0..<depth { item = .list([item]) }
            return RLP.encode(item)
        }
        #expect(rejection(Hex.encode(nested(RLP.maxDepth))) == .tooDeep)
        #expect(try RLP.decode(nested(RLP.maxDepth - 1)) != .list([]))
    }

    @Test func integersEncodeWithoutLeadingZeros() {
        #expect(RLP.encode(.uint(UInt64(0))) == [0x80])
        #expect(RLP.encode(.uint(UInt64(0x7f))) == [0x7f])
        #expect(RLP.encode(.uint(UInt64(0x0100))) == [0x82, 0x01, 0x00])
        #expect(RLP.encode(.uint(UInt64.max)) == [0x88] + [UInt8](repeating: 0xff, count: 8))
    }

    @Test func integerWithLeadingZeroIsRejected() {
        #expect(throws: RLPError(.leadingZeroInInteger, "")) { try RLPItem.bytes([0x00, 0x01]).bigUIntValue() }
        #expect(throws: RLPError(.leadingZeroInInteger, "")) { try RLPItem.bytes([0x00]).uint64Value() }
    }

    @Test func integerWiderThanItsTypeIsRejected() {
        #expect(throws: RLPError(.integerTooLarge, "")) {
            try RLPItem.bytes([UInt8](repeating: 1, count: 9)).uint64Value()
        }
        #expect(throws: RLPError(.integerTooLarge, "")) {
            try RLPItem.bytes([UInt8](repeating: 1, count: 33)).bigUIntValue()
        }
        #expect(throws: RLPError(.expectedBytes, "")) { try RLPItem.list([]).uint64Value() }
    }

    @Test func integersRoundTrip() throws {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<2000 {
            let value = BigUInt(
                bytesBigEndian: (0..<rng.next(upTo: 33)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            let decoded = try RLP.decode(RLP.encode(.uint(value))).bigUIntValue()
            #expect(decoded == value)
        }
    }
}
