import Testing
import TestSupport
@testable import Ethereum

@Suite struct RLPFuzzTests {
    static func randomItem(_ rng: inout SeededRandom, depth: Int = 0) -> RLPItem {
        if depth < 4 && rng.chance(30) {
            return .list((0..<rng.next(upTo: 5)).map { _ in randomItem(&rng, depth: depth + 1) })
        }
        let lengths = [0, 1, 1, 2, 55, 56, 57, 100, 300]
        return .bytes(rng.bytes(lengths[rng.next(upTo: lengths.count)]))
    }

    /// One random mutation of a valid encoding: flip, truncate, extend, or rewrite a prefix/length byte.
    static func mutate(_ bytes: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var out = bytes
        switch rng.next(upTo: 6) {
        case 0 where !out.isEmpty:
            out[rng.next(upTo: out.count)] ^= UInt8(truncatingIfNeeded: 1 << rng.next(upTo: 8))
        case 1 where !out.isEmpty:
            out.removeLast(1 + rng.next(upTo: out.count))
        case 2:
            out += rng.bytes(1 + rng.next(upTo: 4))
        case 3 where !out.isEmpty:
            let prefixes: [UInt8] = [0x80, 0x81, 0xb7, 0xb8, 0xb9, 0xbf, 0xc0, 0xf7, 0xf8, 0xf9, 0xff, 0x00]
            out[rng.next(upTo: min(out.count, 8))] = prefixes[rng.next(upTo: prefixes.count)]
        case 4 where !out.isEmpty:
            out[rng.next(upTo: out.count)] = UInt8(truncatingIfNeeded: rng.next())
        default:
            out = rng.bytes(rng.next(upTo: 40))
        }
        return out
    }

    @Test func decodeOfRandomAndMutatedInputsThrowsOrDecodesButNeverCrashes() {
        var rng = SeededRandom(seed: 0x5250)
        var decoded = 0
        var rejected = 0
        var corpus = (0..<64).map { _ in RLP.encode(Self.randomItem(&rng)) }
        for i in 0..<100_000 {
            var input = corpus[rng.next(upTo: corpus.count)]
            for _ in 0...rng.next(upTo: 3) { input = Self.mutate(input, &rng) }
            do {
                let item = try RLP.decode(input)
                decoded += 1
                // Whatever decodes must be the canonical encoding of what it decoded to.
                #expect(RLP.encode(item) == input)
                if i % 16 == 0 { corpus[rng.next(upTo: corpus.count)] = input }
            } catch is RLPError {
                rejected += 1
            } catch {
                Issue.record("unexpected error type \(error)")
            }
        }
        #expect(decoded > 1000)
        #expect(rejected > 1000)
    }

    @Test func randomItemsRoundTrip() throws {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<5000 {
            let item = Self.randomItem(&rng)
            #expect(try RLP.decode(RLP.encode(item)) == item)
        }
    }
}
