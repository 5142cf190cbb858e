import ApplianceCore
import Foundation
import Testing
import Wire

/// `ApplianceClient` failures are reported by code, never by hanging or trapping.
@Suite struct ClientTests {
    @Test func connectingToAMissingSocketFailsWithConnect() {
        let error = #expect(throws: ClientError.self) {
            try ApplianceClient(socketPath: "/tmp/rb-no-such-dir-\(getpid())/s.sock")
        }
        #expect(error?.code == .connect)
    }

    @Test func applianceThatNeverAnswersTimesOut() throws {
        let path = "/tmp/rb-client-\(getpid())-silent.sock"
        let listener = try UnixSocket.listen(path: path)  // accepts in the kernel backlog, never replies
        defer {
            listener.close()
            unlink(path)
        }
        let client = try ApplianceClient(socketPath: path, timeoutMilliseconds: 200)
        defer { client.close() }
        let error = #expect(throws: ClientError.self) {
            try client.send(.status)
        }
        #expect(error?.code == .timedOut)
    }

    @Test func responseThatIsNotAResponseFailsWithMalformedResponse() throws {
        let path = "/tmp/rb-client-\(getpid())-garbage.sock"
        let listener = try UnixSocket.listen(path: path)
        defer {
            listener.close()
            unlink(path)
        }
        let client = try ApplianceClient(socketPath: path, timeoutMilliseconds: 10_000)
        defer { client.close() }
        let peer = try #require(listener.accept())
        defer { peer.close() }
        try peer.writeAll(Frame.encode(Array(#"{"type": "sign_this"}"#.utf8)))
        let error = #expect(throws: ClientError.self) {
            try client.receive()
        }
        #expect(error?.code == .malformedResponse)
    }

    @Test func applianceClosingBeforeAnsweringFailsWithClosed() throws {
        let path = "/tmp/rb-client-\(getpid())-closing.sock"
        let listener = try UnixSocket.listen(path: path)
        defer {
            listener.close()
            unlink(path)
        }
        let client = try ApplianceClient(socketPath: path, timeoutMilliseconds: 10_000)
        defer { client.close() }
        let peer = try #require(listener.accept())
        peer.close()
        let error = #expect(throws: ClientError.self) {
            try client.receive()
        }
        #expect(error?.code == .closed)
    }
}
