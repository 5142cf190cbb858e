import ApplianceCore
import Foundation
import TestSupport
import Testing
import Wire

/// Peer admission by `SO_PEERCRED` uid: a uid off the allowlist gets `PEER_NOT_ALLOWED`, is audited and closed.
@Suite struct ServerPeerTests {
    /// Timeouts far beyond any wait in these tests: a connection closed in time was closed by the refusal.
    static let patientLimits = ServerLimits(readTimeoutMilliseconds: 600_000, idleTimeoutMilliseconds: 600_000)

    @Test func peerWhoseUIDIsNotOnTheAllowlistIsRefusedAuditedAndClosed() throws {
        let other = getuid() == 4242 ? UInt32(4243) : UInt32(4242)
        let fixture = try ServerFixture(allowedUIDs: [other], limits: Self.patientLimits)
        let client = try fixture.client()
        defer { client.close() }
        // Nothing is sent: the refusal comes first, whatever the peer would say.
        #expect(try client.receive().errorCode == .peerNotAllowed)
        #expect(client.peerHasClosed(timeoutMilliseconds: 10_000))
        let entries = try fixture.auditEntries(kind: "peer_refused")
        #expect(entries.count == 1)
        #expect(entries.first?.body.contains("\"peer_uid\":\(getuid())") == true)
    }

    @Test func emptyAllowlistRefusesEveryPeer() throws {
        let fixture = try ServerFixture(allowedUIDs: [])
        let client = try fixture.client()
        defer { client.close() }
        #expect(try client.receive().errorCode == .peerNotAllowed)
    }

    @Test func refusedPeerRequestIsNeverDecided() throws {
        let fixture = try ServerFixture(allowedUIDs: [], limits: Self.patientLimits)
        let client = try fixture.client()
        defer { client.close() }
        try? client.sendPayload(Request.propose(ServerFixture.proposal(id: "refused")).encoded())
        #expect(try client.receive().errorCode == .peerNotAllowed)
        #expect(client.peerHasClosed(timeoutMilliseconds: 10_000))
        #expect(try fixture.auditEntries(kind: "decision").isEmpty)
    }

    /// A client process running as `nobody` (uid 65534) reaching a socket it may open (mode 0666 in a 0755
    /// directory, for this test only) is still refused: admission is by the kernel's uid, not file modes.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
                   && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"),
                   "needs root, setpriv and /usr/bin/python3 to run a client as nobody"))
    func clientRunningAsNobodyIsRefusedWithPeerNotAllowed() throws {
        let fixture = try ServerFixture(allowedUIDs: [getuid()], socketDirectoryMode: 0o755)
        #expect(chmod(fixture.socketPath, 0o666) == 0)
        let script = """
            import socket, struct, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(20)
            s.connect(sys.argv[1])
            buf = b""
            while len(buf) < 4 or len(buf) < 4 + struct.unpack(">I", buf[:4])[0]:
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
            sys.stdout.write(buf[4:].decode())
            """
        let result = try CommandResult.run(
            URL(fileURLWithPath: "/usr/bin/setpriv"),
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-I", "-c", script,
             fixture.socketPath],
            environment: ["PATH": "/usr/bin:/bin", "HOME": "/"])
        #expect(result.status == 0, "\(result.standardError)")
        let response = try Response.decode(Array(result.standardOutput.utf8))
        #expect(response.errorCode == .peerNotAllowed)
        let entries = try fixture.auditEntries(kind: "peer_refused")
        #expect(entries.map(\.body).contains { $0.contains("\"peer_uid\":65534") })
    }
}
