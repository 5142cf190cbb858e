import Testing
import TestSupport
import Wire

@Suite struct UTF8ValidatorTests {
    private func accepted(_ bytes: [UInt8]) -> Bool {
        (try? JSONParser.parse([0x22] + bytes + [0x22])) != nil
    }

    @Test func parserAcceptsExactlyWellFormedUTF8() {
        var rng = SeededRandom(seed: 0x5EED)
        let interesting: [UInt8] = [0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xA0, 0x9F, 0xED, 0xEF,
                                    0xF0, 0x90, 0x8F, 0xF4, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 1...5, using: &rng)).map { _ in interesting.randomElement(using: &rng)! }
            // Repair changes the bytes exactly when they are not well-formed UTF-8.
            let reference = Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
            #expect(accepted(bytes) == reference, "\(bytes)")
        }
    }

    @Test func boundaryScalarsAreAccepted() {
        #expect(accepted(Array("\u{7F}\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}".utf8)))
    }
}
