import ApplianceCore
import Foundation
import Testing
import Wire

/// Hostile peers that hold every connection slot, and floods of bad frames (`Tests/e2e/flood.py` measures the
/// same at scale): a newcomer takes the slot of a peer that has sent a bad frame or has waited too long, never of
/// a peer that has only just connected; protocol errors beyond the audit rate are counted in aggregate entries,
/// every one accounted for.
@Suite struct ServerFloodTests {
    static let garbage: [UInt8] = Array("not json".utf8)

    /// A server with one connection slot, read and idle timeouts far beyond any test, and the given grace.
    static func oneSlot(graceMilliseconds: Int32) throws -> ServerFixture {
        try ServerFixture(limits: ServerLimits(maxConnections: 1, readTimeoutMilliseconds: 600_000,
                                               idleTimeoutMilliseconds: 600_000,
                                               evictionGraceMilliseconds: graceMilliseconds))
    }

    @Test func peerThatSentABadFrameGivesUpItsSlotToANewConnection() throws {
        let fixture = try Self.oneSlot(graceMilliseconds: 600_000)
        let hostile = try fixture.client()
        defer { hostile.close() }
        try hostile.sendPayload(Self.garbage)
        #expect(try hostile.receive().errorCode == .malformedJSON)
        let honest = try fixture.client()
        defer { honest.close() }
        #expect(try honest.send(.status).status != nil)
        #expect(hostile.peerHasClosed(timeoutMilliseconds: 10_000))
        fixture.server.stop()
        let busy = try #require(try fixture.auditEntries(kind: "connection_busy").last?.body)
        #expect(busy.contains("\"evicted\":1"))
    }

    @Test func peerTricklingAFrameGivesUpItsSlotOnceItHasWaitedTheGracePeriod() throws {
        let fixture = try Self.oneSlot(graceMilliseconds: 200)
        let slow = try fixture.client()
        defer { slow.close() }
        try slow.sendRaw([0, 1, 0, 0] + Array(#"{"type""#.utf8))   // a 65536-byte frame, barely started
        usleep(400_000)
        let honest = try fixture.client()
        defer { honest.close() }
        #expect(try honest.send(.status).status != nil)
        #expect(slow.peerHasClosed(timeoutMilliseconds: 10_000))
    }

    @Test func newcomerIsBusyWhileTheOnlyConnectionIsWellBehavedAndWithinTheGracePeriod() throws {
        let fixture = try Self.oneSlot(graceMilliseconds: 600_000)
        let honest = try fixture.client()
        defer { honest.close() }
        #expect(try honest.send(.status).status != nil)
        let newcomer = try fixture.client()
        defer { newcomer.close() }
        #expect(try newcomer.receive().errorCode == .busy)
        #expect(try honest.send(.status).status != nil)
    }

    @Test func requestAlreadySentIsAnsweredWhetherOrNotItsConnectionGivesUpItsSlot() throws {
        // Grace 0: a connection waiting for any time at all may be closed for a newcomer. The first peer's second
        // request is on its way when the newcomer arrives: either it is being decided (the newcomer gets BUSY) or
        // the connection is closed for the newcomer, and then only the read side is shut after the bytes arrived.
        // Either way it is answered.
        let fixture = try Self.oneSlot(graceMilliseconds: 0)
        let first = try fixture.client()
        defer { first.close() }
        #expect(try first.send(.status).status != nil)
        try first.sendPayload(Request.status.encoded())
        let second = try fixture.client()
        defer { second.close() }
        #expect(try first.receive().status != nil)
        // A refused newcomer may find its connection closed before its request goes out; BUSY is still to read.
        try? second.sendPayload(Request.status.encoded())
        let newcomer = try second.receive()
        #expect(newcomer.status != nil || newcomer.errorCode == .busy)
    }

    @Test func peerThatKeepsSendingBadFramesWaitsBeforeItsNextFrameIsRead() throws {
        // A pause far beyond the test: after the tolerated bad frames, the next frame is not answered in time;
        // the server still stops at once.
        let fixture = try ServerFixture(limits: ServerLimits(misbehaviourPauseMilliseconds: 600_000))
        let client = try fixture.client(timeoutMilliseconds: 2_000)
        defer { client.close() }
        for _ in 0...8 {
            try client.sendPayload(Self.garbage)
            #expect(try client.receive().errorCode == .malformedJSON)
        }
        try client.sendPayload(Request.status.encoded())
        #expect(throws: ClientError.self) { try client.receive() }
        let honest = try fixture.client()
        defer { honest.close() }
        #expect(try honest.send(.status).status != nil)
        fixture.server.stop()
    }

    @Test func protocolErrorsBeyondTheAuditRateAreCountedInAggregateEntries() throws {
        // 1 a second, a burst of 5: of 40 bad frames sent at once, a handful get their own entry and the rest are
        // counted; the counts are written at most once a second and at shutdown.
        let fixture = try ServerFixture(limits: ServerLimits(protocolErrorAuditsPerSecond: 1,
                                                             misbehaviourPauseMilliseconds: 0))
        let client = try fixture.client()
        defer { client.close() }
        let started = MonotonicClock.nowMilliseconds()
        for _ in 0..<40 {
            try client.sendPayload(Self.garbage)
            #expect(try client.receive().errorCode == .malformedJSON)
        }
        let seconds = Int((MonotonicClock.nowMilliseconds() - started) / 1_000)
        client.close()
        fixture.server.stop()
        let single = try fixture.auditEntries(kind: "protocol_error")
        let aggregated = try fixture.auditEntries(kind: "protocol_errors_aggregated")
        #expect((5...(6 + seconds)).contains(single.count))
        #expect(!aggregated.isEmpty)
        let counted = try aggregated.map { entry -> Int64 in
            let body = try JSONParser.parse(Array(entry.body.utf8))
            #expect(body["codes"]?["MALFORMED_JSON"] == body["count"])
            guard case .number(let count)? = body["count"] else { return 0 }
            return try #require(count.int64Value)
        }
        #expect(Int64(single.count) + counted.reduce(0, +) == 40)
    }
}
