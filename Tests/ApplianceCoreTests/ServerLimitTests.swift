import ApplianceCore
import Foundation
import Testing
import Wire

/// The server's bounds: the connection limit, the partial-frame and idle timeouts, and graceful shutdown.
@Suite struct ServerLimitTests {
    @Test func connectionBeyondTheLimitIsAnsweredBusyAndClosed() throws {
        // A grace far beyond the test: the well-behaved connections may not be closed for the newcomer.
        let fixture = try ServerFixture(limits: ServerLimits(maxConnections: 2, readTimeoutMilliseconds: 600_000,
                                                             idleTimeoutMilliseconds: 600_000,
                                                             evictionGraceMilliseconds: 600_000))
        // Two admitted connections, each proven to have a handler by an answered request.
        let first = try fixture.client()
        let second = try fixture.client()
        defer {
            first.close()
            second.close()
        }
        #expect(try first.send(.status).status != nil)
        #expect(try second.send(.status).status != nil)
        let third = try fixture.client()
        defer { third.close() }
        #expect(try third.receive().errorCode == .busy)
        #expect(third.peerHasClosed(timeoutMilliseconds: 10_000))
        // The admitted connections are unaffected.
        #expect(try first.send(.status).status != nil)
    }

    @Test func busyRefusalsAreAuditedInAggregate() throws {
        let fixture = try ServerFixture(limits: ServerLimits(maxConnections: 1, evictionGraceMilliseconds: 600_000))
        let holder = try fixture.client()
        defer { holder.close() }
        #expect(try holder.send(.status).status != nil)
        for _ in 0..<5 {
            let refused = try fixture.client()
            #expect(try refused.receive().errorCode == .busy)
            refused.close()
        }
        holder.close()
        fixture.server.stop()  // flushes the refusals not yet recorded
        let entries = try fixture.auditEntries(kind: "connection_busy")
        // One entry for the first refusal, at most one more for the rest (the interval is a minute).
        #expect((1...2).contains(entries.count))
        let total = entries.reduce(0) { sum, entry in
            let digits = entry.body.split(separator: "\"refused\":").last?.prefix { $0.isNumber } ?? ""
            return sum + (Int(digits) ?? 0)
        }
        #expect(total == 5)
    }

    @Test func connectionIsAdmittedAgainOnceASlotIsFree() throws {
        let fixture = try ServerFixture(limits: ServerLimits(maxConnections: 1))
        let first = try fixture.client()
        #expect(try first.send(.status).status != nil)
        first.close()
        // The handler notices the close and frees its slot; retry until it has (bounded by the loop).
        var admitted = false
        for _ in 0..<200 where !admitted {
            let next = try fixture.client()
            defer { next.close() }
            if let status = try? next.send(.status), status.status != nil {
                admitted = true
            } else {
                usleep(20_000)
            }
        }
        #expect(admitted)
    }

    @Test func partialFrameNotCompletedWithinTheReadTimeoutClosesTheConnection() throws {
        let fixture = try ServerFixture(limits: ServerLimits(readTimeoutMilliseconds: 300))
        let client = try fixture.client()
        defer { client.close() }
        try client.sendRaw([0, 0, 0, 50] + Array(#"{"type""#.utf8))
        #expect(client.peerHasClosed(timeoutMilliseconds: 20_000))
    }

    @Test func tricklingBytesDoesNotExtendTheReadTimeout() throws {
        let fixture = try ServerFixture(limits: ServerLimits(readTimeoutMilliseconds: 300))
        let client = try fixture.client()
        defer { client.close() }
        // A 40-byte frame sent one byte per 100 ms would take 4 s; the frame's deadline is 300 ms from its
        // first byte, so the server closes the connection before the frame is complete.
        let frame = Frame.encode(Array(#"{"type": "status"}"#.utf8) + Array(repeating: 32, count: 22))
        var closedEarly = false
        for byte in frame {
            if (try? client.sendRaw([byte])) == nil || client.peerHasClosed(timeoutMilliseconds: 100) {
                closedEarly = true
                break
            }
        }
        #expect(closedEarly)
    }

    @Test func connectionIdleLongerThanTheIdleTimeoutIsClosed() throws {
        let fixture = try ServerFixture(limits: ServerLimits(idleTimeoutMilliseconds: 1_000))
        let client = try fixture.client()
        defer { client.close() }
        #expect(try client.send(.status).status != nil)
        #expect(client.peerHasClosed(timeoutMilliseconds: 20_000))
    }

    @Test func stopClosesIdleConnectionsRefusesNewOnesAndCheckpointsTheAuditHead() throws {
        let fixture = try ServerFixture()
        let idle = try fixture.client()
        defer { idle.close() }
        try idle.sendPayload(Array(#"{"type": "nope"}"#.utf8))  // leaves an audit entry after the start
        #expect(try idle.receive().errorCode == .unknownType)
        fixture.server.stop()
        #expect(idle.peerHasClosed(timeoutMilliseconds: 10_000))
        #expect(throws: ClientError.self) { try fixture.client() }
        let database = try Database(path: fixture.layout.database, readOnly: true)
        let log = try AuditLog(database: database)
        #expect(try log.lastCheckpointSeq() == log.head.seq)
        #expect(log.head.seq >= 1)
    }

    @Test func stopAnswersARequestAlreadyBeingDecided() throws {
        let fixture = try ServerFixture()
        let clients = try (0..<4).map { _ in try fixture.client() }
        defer { for c in clients { c.close() } }
        // Requests in flight while stop() runs: each is either answered or its connection is closed before
        // the request was started; none gets a truncated or garbled frame.
        for (i, client) in clients.enumerated() {
            try client.sendPayload(Request.propose(ServerFixture.proposal(id: "inflight-\(i)")).encoded())
        }
        fixture.server.stop()
        var answered = 0
        for client in clients {
            switch Result(catching: { () throws(ClientError) in try client.receive() }) {
            case .success(let response):
                #expect(response.decision != nil)
                answered += 1
            case .failure(let error):
                #expect(error.code == .closed)
            }
        }
        let decisions = try fixture.auditEntries(kind: "decision")
        #expect(decisions.count == answered)
    }
}
