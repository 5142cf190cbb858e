import ApplianceCore
import Foundation
import SigningPolicy
import TestSupport
import Testing

/// `appliance serve` and `appliance status` as child processes on a throwaway state directory.
@Suite(.serialized) struct ServerCommandTests {
    /// A state directory made by `appliance init --state DIR` in a fresh temporary directory.
    struct InitializedState {
        let root: String
        let state: String
        var socket: String { root + "/s.sock" }
        var database: String { state + "/appliance.sqlite" }

        init(appliance: URL) throws {
            var template = Array("/tmp/rb-cli-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { throw FixtureFailure("mkdtemp failed") }
            root = String(cString: made)
            state = root + "/state"
            let initResult = try CommandResult.run(appliance, ["init", "--state", state])
            guard initResult.status == 0 else { throw FixtureFailure("init failed: \(initResult.standardError)") }
        }

        func installDemoPolicy() throws {
            try ServerFixture.install(ServerFixture.demoPolicyText, into: ApplianceState(
                database: Database(path: database)))
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    static var appliance: URL? { BuiltProducts.executable(named: "appliance") }

    @Test(.enabled(if: appliance != nil, "the appliance executable is built alongside the tests"))
    func serveAnswersStatusWithThePinnedKeysAndStopsWithExitZeroOnSIGTERM() throws {
        let appliance = try #require(Self.appliance)
        let dir = try InitializedState(appliance: appliance)
        defer { dir.remove() }
        try dir.installDemoPolicy()

        let server = try ServedAppliance(appliance: appliance, arguments: [
            "serve", "--state", dir.state, "--socket", dir.socket, "--planner-uid", "4242",
        ])
        defer { server.kill() }
        try server.waitForSocket(dir.socket)

        let result = try CommandResult.run(appliance, ["status", "--socket", dir.socket, "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
                                  as? [String: Any])
        for key in ["type", "policy_sha256", "mode", "signer_address", "kill_switch", "next_nonce",
                    "last_rebalance_at", "rebalances_24h", "turnover_24h_bps", "audit"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["type"] as? String == "status")
        #expect(object["mode"] as? String == "safe")
        #expect(object["policy_sha256"] as? String
                    == PolicyDigest.sha256Hex(Array(ServerFixture.demoPolicyText.utf8)))
        let kill = try #require(object["kill_switch"] as? [String: Any])
        #expect(kill["engaged"] as? Bool == false)
        let audit = try #require(object["audit"] as? [String: Any])
        #expect((audit["seq"] as? Int ?? 0) >= 1)  // server_started at least

        let readable = try CommandResult.run(appliance, ["status", "--socket", dir.socket])
        #expect(readable.status == 0)
        #expect(readable.standardOutput.contains("kill switch:    released"))

        let exit = try #require(server.terminate())
        #expect(exit.reason == .exit)
        #expect(exit.status == 0)
        let log = server.standardError()
        #expect(log.contains("appliance: serving on \(dir.socket) (mode safe, keeper 0x"))
        #expect(!FileManager.default.fileExists(atPath: dir.socket))
        // The chain it leaves behind verifies and ends in a checkpoint.
        let database = try Database(path: dir.database, readOnly: true)
        let auditLog = try AuditLog(database: database)
        #expect(try auditLog.lastCheckpointSeq() == auditLog.head.seq)
    }

    @Test(.enabled(if: appliance != nil, "the appliance executable is built alongside the tests"))
    func serveRefusesToStartWithoutAnInstalledPolicy() throws {
        let appliance = try #require(Self.appliance)
        let dir = try InitializedState(appliance: appliance)
        defer { dir.remove() }
        // A database with no policy in it.
        _ = try ApplianceState(database: Database(path: dir.database))
        let result = try CommandResult.run(appliance, ["serve", "--state", dir.state, "--socket", dir.socket])
        #expect(result.status != 0)
        #expect(result.standardError.contains("error: no policy is installed"))
        #expect(result.standardError.contains("hint: "))
        #expect(!FileManager.default.fileExists(atPath: dir.socket))
    }

    @Test(.enabled(if: appliance != nil, "the appliance executable is built alongside the tests"))
    func serveRefusesToStartOnABrokenAuditChain() throws {
        let appliance = try #require(Self.appliance)
        let dir = try InitializedState(appliance: appliance)
        defer { dir.remove() }
        try dir.installDemoPolicy()
        do {
            let database = try Database(path: dir.database)
            let log = try AuditLog(database: database)
            _ = try log.append(at: Timestamp(seconds: 1_800_000_000), kind: "note", body: "{\"n\":1}")
            _ = try log.append(at: Timestamp(seconds: 1_800_000_001), kind: "note", body: "{\"n\":2}")
            try database.execute("UPDATE audit SET body = '{\"n\":3}' WHERE seq = 1")
        }
        let result = try CommandResult.run(appliance, ["serve", "--state", dir.state, "--socket", dir.socket])
        #expect(result.status != 0)
        #expect(result.standardError.contains("error: the audit log is broken"))
        #expect(result.standardError.contains("hint: run `appliance audit verify --state"))
        #expect(!FileManager.default.fileExists(atPath: dir.socket))
    }

    @Test(.enabled(if: appliance != nil, "the appliance executable is built alongside the tests"))
    func statusWithNoApplianceListeningFailsWithAHint() throws {
        let appliance = try #require(Self.appliance)
        let result = try CommandResult.run(appliance, ["status", "--socket", "/tmp/rb-no-such-dir/none.sock"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("error: cannot get the status from /tmp/rb-no-such-dir/none.sock"))
        #expect(result.standardError.contains("hint: start the appliance with `appliance serve"))
    }
}
