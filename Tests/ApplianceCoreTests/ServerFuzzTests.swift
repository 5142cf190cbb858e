import ApplianceCore
import Foundation
import HSM
import Testing
import TestSupport
import Wire

/// Random and mutated frames over the real socket: the server answers every one, approves none, and keeps
/// serving (the Wire module fuzzes the decoder itself with 100,000 frames; this drives the whole server path).
@Suite struct ServerFuzzTests {
    static let frameCount = 5_000
    static let connections = 4

    @Test func randomAndMutatedFramesProduceNoApprovalAndNoCrash() throws {
        // No pause for misbehaving peers: thousands of bad frames per connection are the point here.
        let fixture = try ServerFixture(policy: .safe, limits: ServerLimits(misbehaviourPauseMilliseconds: 0))
        // The valid base proposal is approved first, so any mutation that still decodes is a proposal the
        // policy must reject (cooldown, duplicate id, or whatever the mutation broke): an approval among the
        // fuzzed frames would be a bypass.
        let base = Request.propose(ServerFixture.proposal(id: "fuzz-base"))
        let first = try ApplianceClient.send(base, socketPath: fixture.socketPath)
        #expect(first.decision?.isApproved == true)

        let results = FuzzTally()
        DispatchQueue.concurrentPerform(iterations: Self.connections) { lane in
            var random = SeededRandom(seed: 0x5EED_0000 + UInt64(lane))
            let basePayload = base.encoded()
            var client: ApplianceClient?
            for _ in 0..<(Self.frameCount / Self.connections) {
                let bytes = Self.frame(basePayload: basePayload, random: &random)
                do {
                    if client == nil { client = try fixture.client(timeoutMilliseconds: 60_000) }
                    guard let connection = client else { continue }
                    try connection.sendRaw(bytes)
                    let response = try connection.receive()
                    results.record(response)
                    if response.errorCode == .frameSize {
                        connection.close()
                        client = nil
                    }
                } catch {
                    results.recordFailure("\(error)")
                    client?.close()
                    client = nil
                }
            }
            client?.close()
        }
        #expect(results.approvals == 0)
        #expect(results.failures.isEmpty, "\(results.failures.prefix(5))")
        #expect(results.responses == Self.frameCount - Self.frameCount % Self.connections)
        #expect(results.codes[.frameSize, default: 0] > 0)
        #expect(results.codes[.malformedJSON, default: 0] > 0)
        #expect(results.codes[.peerNotAllowed, default: 0] == 0)
        #expect(results.codes[.busy, default: 0] == 0)
        #expect(results.codes[.internal, default: 0] == 0)
        // Still serving, and the audit chain is whole.
        #expect(try ApplianceClient.send(.status, socketPath: fixture.socketPath).status != nil)
        fixture.server.stop()
        let database = try Database(path: fixture.layout.database, readOnly: true)
        let verifier = AuditVerifier(auditAddress: fixture.auditAddress) { digest, signature in
            try? Secp256k1.recoverAddress(digest: digest, signature: signature)
        }
        let report = try verifier.verify(AuditLog(database: database))
        #expect(report.isIntact)
    }

    /// One frame: mostly mutations of the valid request (correct length prefix), some random payloads, some
    /// bad length prefixes (which close the connection).
    static func frame(basePayload: [UInt8], random: inout SeededRandom) -> [UInt8] {
        switch random.next() % 20 {
        case 0:
            // Length 0 or above the limit: FRAME_SIZE.
            let length: UInt32 = random.next() % 2 == 0 ? 0 : UInt32(65_537 + random.next() % 1_000_000)
            return withUnsafeBytes(of: length.bigEndian) { Array($0) }
        case 1, 2:
            let count = 1 + Int(random.next() % 300)
            return Frame.encode((0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        default:
            var payload = basePayload
            let edits = 1 + Int(random.next() % 4)
            for _ in 0..<edits {
                let position = Int(random.next() % UInt64(payload.count))
                switch random.next() % 5 {
                case 0: payload[position] = UInt8(truncatingIfNeeded: random.next())
                case 1: payload[position] ^= 1 << UInt8(random.next() % 8)
                case 2: if payload.count > 1 { payload.remove(at: position) }
                case 3: payload.insert(Self.interesting[Int(random.next() % UInt64(Self.interesting.count))],
                                       at: position)
                default: payload = Array(payload.prefix(max(1, position)))
                }
            }
            return Frame.encode(payload)
        }
    }

    static let interesting: [UInt8] = Array("{}[]\",:0123456789-.eE \\\u{7f}".utf8) + [0x00, 0xc3, 0xff, 0x80]
}

/// Counts what the fuzz connections saw, from several threads.
final class FuzzTally: @unchecked Sendable {
    // @unchecked: every field is read and written under `lock`.
    private let lock = NSLock()
    private(set) var approvals = 0
    private(set) var responses = 0
    private(set) var codes: [WireErrorCode: Int] = [:]
    private(set) var failures: [String] = []

    func record(_ response: Response) {
        lock.lock()
        defer { lock.unlock() }
        responses += 1
        if response.decision?.isApproved == true { approvals += 1 }
        if let code = response.errorCode { codes[code, default: 0] += 1 }
    }

    func recordFailure(_ message: String) {
        lock.lock()
        defer { lock.unlock() }
        failures.append(message)
    }
}

