import BigInt
import Testing
import TestSupport
@testable import Ethereum

@Suite struct ABIFuzzTests {
    static func randomType(_ rng: inout SeededRandom, depth: Int = 0) -> ABIType {
        let pick = rng.next(upTo: depth < 3 ? 12 : 8)
        switch pick {
        case 0: return .address
        case 1: return .bool
        case 2: return .uint(bits: 8 * (1 + rng.next(upTo: 32)))
        case 3: return .int(bits: 8 * (1 + rng.next(upTo: 32)))
        case 4: return .fixedBytes(1 + rng.next(upTo: 32))
        case 5: return .bytes
        case 6: return .string
        case 7: return .uint(bits: 256)
        case 8: return .array(randomType(&rng, depth: depth + 1))
        case 9: return .fixedArray(randomType(&rng, depth: depth + 1), 1 + rng.next(upTo: 3))
        default: return .tuple((0...rng.next(upTo: 3)).map { _ in randomType(&rng, depth: depth + 1) })
        }
    }

    static func randomValue(_ type: ABIType, _ rng: inout SeededRandom) -> ABIValue {
        switch type {
        case .address: return .address(Address(uncheckedBytes: rng.bytes(20)))
        case .bool: return .bool(rng.chance(50))
        case .uint(let bits):
            let value = BigUInt(bytesBigEndian: rng.bytes(bits / 8)) >> rng.next(upTo: bits)
            return .uint(value)
        case .int(let bits):
            let magnitude = BigUInt(bytesBigEndian: rng.bytes(bits / 8)) >> (1 + rng.next(upTo: bits))
            return .int(rng.chance(50) ? -BigInt(magnitude) - (rng.chance(10) ? 0 : 1) : BigInt(magnitude))
        case .fixedBytes(let n): return .fixedBytes(rng.bytes(n))
        case .bytes: return .bytes(rng.bytes([0, 1, 31, 32, 33, 70][rng.next(upTo: 6)]))
        case .string:
            let scalars = "aé✓🙂Z0 ".unicodeScalars.map { $0 }
            return .string(String(String.UnicodeScalarView((0..<rng.next(upTo: 40)).map { _ in
                scalars[rng.next(upTo: scalars.count)]
            })))
        case .array(let element): return .array((0..<rng.next(upTo: 4)).map { _ in randomValue(element, &rng) })
        case .fixedArray(let element, let k): return .array((0..<k).map { _ in randomValue(element, &rng) })
        case .tuple(let components): return .tuple(components.map { randomValue($0, &rng) })
        }
    }

    static func randomSignature(_ rng: inout SeededRandom) -> ([ABIType], [ABIValue]) {
        let types = (0..<(1 + rng.next(upTo: 4))).map { _ in randomType(&rng) }
        return (types, types.map { randomValue($0, &rng) })
    }

    @Test func randomValuesRoundTripThroughEncodeAndDecode() throws {
        var rng = SeededRandom(seed: 0xab1)
        for _ in 0..<3000 {
            let (types, values) = Self.randomSignature(&rng)
            let encoded = try ABI.encode(types, values)
            #expect(encoded.count % 32 == 0)
            #expect(try ABI.decode(types, encoded) == values, "\(types)")
        }
    }

    @Test func randomTypesRenderAndParseBack() throws {
        var rng = SeededRandom(seed: 0x7e)
        for _ in 0..<3000 {
            let type = Self.randomType(&rng)
            #expect(try ABIType(parsing: type.description) == type)
        }
    }

    /// Mutations aimed at the ABI layout: words that look like offsets and lengths, huge values, flips, cuts.
    static func mutate(_ data: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var out = data
        let wordCount = out.count / 32
        switch rng.next(upTo: 7) {
        case 0 where !out.isEmpty:
            out[rng.next(upTo: out.count)] ^= UInt8(truncatingIfNeeded: 1 << rng.next(upTo: 8))
        case 1 where !out.isEmpty:
            out.removeLast(1 + rng.next(upTo: min(out.count, 64)))
        case 2:
            out += rng.chance(50) ? [UInt8](repeating: 0, count: 32) : rng.bytes(1 + rng.next(upTo: 40))
        case 3 where wordCount > 0:
            // Rewrite the low bytes of a word with a small number (a plausible offset or length).
            let w = rng.next(upTo: wordCount)
            let value = [0, 1, 31, 32, 64, 96, 0x7f, 0xff, 0x1000, out.count, out.count + 32][rng.next(upTo: 11)]
            for i in 0..<4 { out[w * 32 + 28 + i] = UInt8(truncatingIfNeeded: value >> (8 * (3 - i))) }
        case 4 where wordCount > 0:
            // A huge word.
            let w = rng.next(upTo: wordCount)
            for i in 0..<32 { out[w * 32 + i] = rng.chance(50) ? 0xff : UInt8(truncatingIfNeeded: rng.next()) }
        case 5 where wordCount > 0:
            // Nonzero high byte in a word.
            out[rng.next(upTo: wordCount) * 32] = UInt8(truncatingIfNeeded: 1 + rng.next(upTo: 255))
        default:
            out = rng.bytes(rng.next(upTo: 200))
        }
        return out
    }

    @Test func decodeOfMutatedEncodingsThrowsOrDecodesCanonicallyButNeverCrashes() throws {
        var rng = SeededRandom(seed: 0xdec0de)
        var decoded = 0
        var rejected = 0
        let corpus = try (0..<200).map { _ -> ([ABIType], [UInt8]) in
            let (types, values) = Self.randomSignature(&rng)
            return (types, try ABI.encode(types, values))
        }
        for _ in 0..<100_000 {
            let (types, valid) = corpus[rng.next(upTo: corpus.count)]
            var input = valid
            for _ in 0...rng.next(upTo: 2) { input = Self.mutate(input, &rng) }
            do {
                let values = try ABI.decode(types, input)
                decoded += 1
                // Strictness: anything accepted is exactly the canonical encoding of what it decoded to.
                #expect(try ABI.encode(types, values) == input)
            } catch is ABIError {
                rejected += 1
            } catch {
                Issue.record("unexpected error type \(error)")
            }
        }
        #expect(decoded > 500)
        #expect(rejected > 10_000)
    }
}
