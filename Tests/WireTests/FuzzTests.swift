import BigInt
import Ethereum
import SigningPolicy
import Testing
import TestSupport
import Wire

/// Random and mutated frames through `FrameDecoder` and `Request.decode`: nothing crashes, and every frame
/// becomes either a typed request or an error carrying one of the pinned codes the decoder may produce.
@Suite struct FuzzTests {
    /// Four seeds of 25,000 frames each: 100,000 frames, run in parallel.
    static let seeds: [UInt64] = [0xA11CE, 0xB0B, 0xC0FFEE, 0xD00D]
    static let framesPerSeed = 25_000

    /// The codes a decoder (framing + request decoding) is allowed to produce.
    static let decoderCodes: Set<WireErrorCode> = [
        .frameSize, .malformedJSON, .duplicateKey, .unknownField, .missingField, .invalidField, .unknownType,
    ]

    /// Checksummed adapter addresses computed once (Keccak is slow in debug builds).
    static let addresses: [String] = (1...8).map { i in
        // Fixed 20-byte values: construction cannot fail.
        (try! Address(bytes: (0..<20).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ i &* 101) })).checksummed
    }

    /// Tallies of what the fuzz run produced, so the test can check it exercised both paths.
    struct Tally {
        var decoded = 0
        var codes: [WireErrorCode: Int] = [:]
    }

    @Test(arguments: seeds)
    func randomAndMutatedFramesYieldRequestsOrPinnedErrors(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let bases = (0..<24).map { _ in Self.randomRequestText(&rng) }
        var tally = Tally()
        for _ in 0..<Self.framesPerSeed {
            let base = Array(bases.randomElement(using: &rng)!.utf8)
            let stream = Self.mutatedStream(from: base, &rng)
            try Self.run(stream: stream, &rng, &tally)
        }
        #expect(tally.decoded > Self.framesPerSeed / 20, "too few frames decoded: \(tally)")
        for code in [WireErrorCode.frameSize, .malformedJSON, .duplicateKey, .unknownField, .missingField,
                     .invalidField, .unknownType] {
            #expect((tally.codes[code] ?? 0) > 0, "fuzzing never produced \(code)")
        }
    }

    /// Feeds `stream` in random chunks and checks every output.
    static func run(stream: [UInt8], _ rng: inout SeededRandom, _ tally: inout Tally) throws {
        var decoder = FrameDecoder()
        var i = 0
        while i < stream.count {
            let end = min(stream.count, i + Int.random(in: 1...700, using: &rng))
            for output in decoder.feed(stream[i..<end]) {
                switch output {
                case .error(let error):
                    #expect(error.code == .frameSize)
                    tally.codes[error.code, default: 0] += 1
                case .frame(let payload):
                    do {
                        let request = try Request.decode(payload)
                        tally.decoded += 1
                        // A decoded request re-encodes to something that decodes to the same request (sampled:
                        // re-encoding computes EIP-55 checksums, slow in debug builds).
                        if tally.decoded % 4 == 0 {
                            #expect(try Request.decode(request.encoded()) == request)
                        }
                    } catch {
                        #expect(decoderCodes.contains(error.code), "unexpected code \(error.code)")
                        tally.codes[error.code, default: 0] += 1
                    }
                }
            }
            #expect(decoder.bufferedByteCount <= Frame.headerLength + Frame.maxPayloadLength)
            i = end
        }
    }

    // MARK: - Generators

    static func randomRequestText(_ rng: inout SeededRandom) -> String {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: return "{\"type\":\"status\"}"
        case 1: return "{\"type\":\"engage_kill_switch\",\"reason\":\"fuzz \(rng.next())\"}"
        default:
            var members = randomProposalMembers(&rng)
            members.shuffle(using: &rng)
            let proposal = "{" + members.joined(separator: ",") + "}"
            return "{\"type\":\"propose\",\"proposal\":\(proposal)}"
        }
    }

    static func randomProposalMembers(_ rng: inout SeededRandom) -> [String] {
        let count = Int.random(in: 0...4, using: &rng)
        let targets = (0..<count).map { _ in
            let address = addresses.randomElement(using: &rng)!
            let cased = Bool.random(using: &rng) ? address : address.lowercased()
            return "{\"adapter\":\"\(cased)\",\"weight_bps\":\(Int.random(in: 0...10_000, using: &rng))}"
        }
        var members = [
            "\"id\":\"fz-\(rng.next() % 100_000)\"",
            "\"created_at\":\"\(Timestamp(seconds: Int64.random(in: 0...4_000_000_000, using: &rng)).rfc3339)\"",
            "\"chain_id\":\(UInt64.random(in: 1...131_277_322_940_537, using: &rng))",
            "\"kind\":\"\(Bool.random(using: &rng) ? "rebalance" : "emergency_exit")\"",
            "\"targets\":[\(targets.joined(separator: ","))]",
            "\"reserve_bps\":\(Int.random(in: 0...10_000, using: &rng))",
            "\"max_slippage_bps\":\(Int.random(in: 0...10_000, using: &rng))",
            "\"gas\":{\"max_fee_per_gas\":\"\(rng.next())\",\"max_priority_fee_per_gas\":\"\(rng.next() % 1_000)\","
                + "\"gas_limit\":\(Int.random(in: 21_000...1_000_000, using: &rng))}",
            "\"expected\":{\"apy_gain_bps\":\(Int.random(in: -500...500, using: &rng)),\"gas_cost_bps\":"
                + "\(Int.random(in: 0...50, using: &rng)),\"max_risk_score\":\(Int.random(in: 0...100, using: &rng))}",
        ]
        if Bool.random(using: &rng) {
            members.append("\"evidence\":{\"model\":\"ppo\",\"é\":\"\\u00e9\\ud83d\\ude00\"}")
        }
        return members
    }

    static let tokens: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "false", "0", "-0", "1.0", "1e2", "-", "NaN",
        "\"type\"", "\"proposal\"", "\"status\"", "\"x\":1,", "\"\\ud800\"", "\u{0}", "\u{1F}", "é", "\u{FEFF}",
        "99999999999999999999999999999999", "\"0x0000000000000000000000000000000000000000\"", "[[[[[[[[[[",
    ]

    /// One frame stream (usually one frame) derived from a valid payload.
    static func mutatedStream(from base: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var payload = base
        switch Int.random(in: 0..<12, using: &rng) {
        case 0:  // random bytes
            payload = (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 1:  // byte flips
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                payload[Int.random(in: 0..<payload.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        case 2:  // truncation
            payload = Array(payload.prefix(Int.random(in: 0..<payload.count, using: &rng)))
        case 3:  // insertion of a token
            let token = Array(tokens.randomElement(using: &rng)!.utf8)
            payload.insert(contentsOf: token, at: Int.random(in: 0...payload.count, using: &rng))
        case 4:  // key duplication: repeat an existing "key":value member next to itself
            payload = duplicateAMember(payload, &rng)
        case 5:  // deep nesting around the whole message or a value
            let depth = Int.random(in: 1...40, using: &rng)
            if let at = positionAfterColon(payload, &rng) {
                payload.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "["), count: depth), at: at)
                payload.append(contentsOf: [UInt8](repeating: UInt8(ascii: "]"), count: depth))
            } else {
                payload = [UInt8](repeating: UInt8(ascii: "["), count: depth) + payload
                    + [UInt8](repeating: UInt8(ascii: "]"), count: depth)
            }
        case 6:  // huge or odd numbers in place of a digit run
            payload = replaceADigitRun(payload, &rng)
        case 7:  // drop one byte
            payload.remove(at: Int.random(in: 0..<payload.count, using: &rng))
        case 8:  // bad frame length
            let n: UInt32 = Bool.random(using: &rng) ? 0 : UInt32.random(in: 65_537...UInt32.max, using: &rng)
            return [UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8),
                    UInt8(truncatingIfNeeded: n)] + payload
        case 9:  // type swap
            let types = ["\"status\"", "\"propose\"", "\"engage_kill_switch\"", "\"sign\"", "7"]
            payload = replace(payload, "\"type\":", "\"type\":" + types.randomElement(using: &rng)! + ",\"t\":")
        default:  // unmodified: must decode
            break
        }
        if payload.isEmpty || payload.count > Frame.maxPayloadLength {
            // Frame it anyway with its (invalid) length.
            let n = UInt32(payload.count)
            return [UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8),
                    UInt8(truncatingIfNeeded: n)] + payload
        }
        var stream = Frame.encode(payload)
        if Int.random(in: 0..<8, using: &rng) == 0 { stream += Frame.encode(Array("{\"type\":\"status\"}".utf8)) }
        return stream
    }

    static func positionAfterColon(_ payload: [UInt8], _ rng: inout SeededRandom) -> Int? {
        let colons = payload.indices.filter { payload[$0] == UInt8(ascii: ":") }
        return colons.randomElement(using: &rng).map { $0 + 1 }
    }

    static func duplicateAMember(_ payload: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        // Members start after `{` or `,` with a quote; copy up to the next `,` or `}` at the same nesting.
        let starts = payload.indices.filter {
            $0 + 1 < payload.count && (payload[$0] == UInt8(ascii: "{") || payload[$0] == UInt8(ascii: ","))
                && payload[$0 + 1] == UInt8(ascii: "\"")
        }
        guard let s = starts.randomElement(using: &rng) else { return payload }
        var depth = 0
        var inString = false
        var escaped = false
        var end = s + 1
        while end < payload.count {
            let c = payload[end]
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true }
                else if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                if depth == 0 { break }
                depth -= 1
            } else if c == UInt8(ascii: ","), depth == 0 {
                break
            }
            end += 1
        }
        let member = Array(payload[(s + 1)..<end])
        var out = payload
        out.insert(contentsOf: member + [UInt8(ascii: ",")], at: s + 1)
        return out
    }

    static func replaceADigitRun(_ payload: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        let starts = payload.indices.filter { isDigit(payload[$0]) && ($0 == 0 || !isDigit(payload[$0 - 1])) }
        guard let s = starts.randomElement(using: &rng) else { return payload }
        var e = s
        while e < payload.count, isDigit(payload[e]) { e += 1 }
        let replacements = [
            String(repeating: "9", count: Int.random(in: 19...400, using: &rng)), "1e999", "-1", "1.5", "0.0",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
            "115792089237316195423570985008687907853269984665640564039457584007913129639936", "00", "1E+2",
        ]
        var out = payload
        out.replaceSubrange(s..<e, with: Array(replacements.randomElement(using: &rng)!.utf8))
        return out
    }

    static func replace(_ payload: [UInt8], _ target: String, _ replacement: String) -> [UInt8] {
        let t = Array(target.utf8)
        guard payload.count >= t.count else { return payload }
        for i in 0...(payload.count - t.count) where payload[i..<(i + t.count)].elementsEqual(t) {
            var out = payload
            out.replaceSubrange(i..<(i + t.count), with: Array(replacement.utf8))
            return out
        }
        return payload
    }
}
