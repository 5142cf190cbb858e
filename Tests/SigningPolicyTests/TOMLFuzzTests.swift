import SigningPolicy
import Testing
import TestSupport

/// Feeds mutated and random documents to the parser and the loaders: every input must come back as a value or an
/// error, never a crash.
@Suite struct TOMLFuzzTests {
    static let interesting: [[UInt8]] = [
        "[", "]", "{", "}", "\"", "'", "=", ",", "#", "\n", "\r\n", "\r", "\\", "\\u", "\\U0010FFFF", ".", "-", "+",
        "_", "0x", "1.5", "1e9", "9223372036854775808", "-9223372036854775809", "\"\"\"", "'''", "[[", "]]", "inf",
        "true", "false", "é", "😀", "\u{0}", "\t", " ", "a.b", "[policy]", "= {", "= [", "\"0x\"",
    ].map { Array($0.utf8) }

    static func mutate(_ seed: [UInt8], _ rng: inout SeededRandom) -> String {
        var bytes = seed
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes.remove(at: at)
            case 1:
                bytes.insert(UInt8.random(in: 0...127, using: &rng), at: at)
            case 2:
                bytes.insert(contentsOf: interesting.randomElement(using: &rng)!, at: at)
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, at + Int.random(in: 1...64, using: &rng))
                bytes.removeSubrange(at..<end)
            case 4 where !bytes.isEmpty:
                let end = min(bytes.count, at + Int.random(in: 1...64, using: &rng))
                let chunk = Array(bytes[at..<end])
                bytes.insert(contentsOf: chunk, at: Int.random(in: 0...bytes.count, using: &rng))
            default:
                if !bytes.isEmpty { bytes[at] = UInt8.random(in: 0...255, using: &rng) }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func twentyThousandMutatedPoliciesNeverCrashTheParserOrTheLoader() {
        var rng = SeededRandom(seed: 0x5EED_0001)
        let seed = Array(PolicyFixtures.demoText.utf8)
        var parsed = 0
        var loaded = 0
        for _ in 0..<20_000 {
            let text = Self.mutate(seed, &rng)
            if (try? TOMLParser.parse(text)) != nil { parsed += 1 }
            if let policy = try? SigningPolicy.load(toml: text) {
                loaded += 1
                _ = PolicyEvaluator.evaluate(proposal: PolicyFixtures.proposal, policy: policy,
                                             state: PolicyFixtures.state, now: PolicyFixtures.now)
                _ = policy.comparison(relativeTo: PolicyFixtures.demo)
            }
        }
        #expect(parsed > 0 && parsed < 20_000)
        #expect(loaded > 0)
    }

    @Test func fiveThousandRandomDocumentsNeverCrashTheParser() {
        var rng = SeededRandom(seed: 0x5EED_0002)
        var alphabet: [UInt8] = Array("[]{}=\"',#.\n -_0123456789abcxyzTtrufalsenie\\".utf8)
        alphabet.append(contentsOf: [0, 0x0D, 0x7F, 0xC3, 0xA9])
        for _ in 0..<5_000 {
            let count = Int.random(in: 0...200, using: &rng)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &rng)! }
            _ = try? TOMLParser.parse(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func mutatedCaseFilesNeverCrashTheCaseLoader() {
        var rng = SeededRandom(seed: 0x5EED_0003)
        let seeds = PolicyCaseFileTests.caseFiles().map { Array($0.text.utf8) }
        guard !seeds.isEmpty else {
            Issue.record("no case files")
            return
        }
        for i in 0..<5_000 {
            let text = Self.mutate(seeds[i % seeds.count], &rng)
            if let testCase = try? PolicyTestCase.parse(toml: text) {
                _ = testCase.run(policy: PolicyFixtures.demo)
            }
        }
    }
}
