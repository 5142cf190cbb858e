import Ethereum
import Foundation
import SigningPolicy
import TestSupport
import Testing
import Wire

/// Issue 7, acceptance 2: the serving appliance itself runs under its seccomp filter with no_new_privs and no
/// core dumps, still signs, and the same filter (same code path, `appliance sandbox-selftest`) makes execve,
/// fork and internet sockets fail.
@Suite(.serialized) struct ServingSandboxTests {
    @Test(.enabled(if: HardenedState.appliance != nil, "the appliance executable is built alongside the tests"))
    func servingApplianceRunsUnderItsFilterWithNoNewPrivilegesAndNoCoreDumpsAndStillSigns() throws {
        let dir = try HardenedState()
        defer { dir.remove() }
        let server = try dir.serve()
        defer { server.kill() }
        let pid = server.process.processIdentifier
        try #require(server.waitForLog("serving on"), "\(server.standardError())")

        let status = try processStatus(pid)
        #expect(status["Seccomp"] == "2", "Seccomp: \(status["Seccomp"] ?? "missing")")
        #expect(status["NoNewPrivs"] == "1")
        #expect(Int(status["Seccomp_filters"] ?? "0") ?? 0 >= 1)
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let core = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") })
        #expect(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"],
                "\(core)")
        #expect(server.waitForLog("seccomp on"), "\(server.standardError())")

        // Under the filter it still decides, signs (SoftHSM C_Sign) and audits.
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        let response = try ApplianceClient.send(.propose(DemoProposals.rebalance(id: "sandboxed-1", at: now)),
                                                socketPath: dir.socket)
        guard case .decision(let decision) = response else {
            Issue.record("expected a decision, got \(response)")
            return
        }
        #expect(decision.isApproved, "\(decision)")
        let stopped = server.stopAndDescribe()
        #expect(stopped.status == 0, "\(stopped.threads) \(server.standardError())")
        let verify = try dir.run(["audit", "verify", "--state", dir.state])
        #expect(verify.status == 0, "\(verify.standardOutput)\(verify.standardError)")
    }

    @Test(.enabled(if: HardenedState.appliance != nil, "the appliance executable is built alongside the tests"))
    func noSeccompLeavesTheFilterOffSoTheCheckAboveCanFail() throws {
        let dir = try HardenedState()
        defer { dir.remove() }
        let server = try dir.serve(["--no-seccomp"])
        defer { server.kill() }
        #expect(server.waitForLog("seccomp off"), "\(server.standardError())")
        let status = try processStatus(server.process.processIdentifier)
        #expect(status["Seccomp"] == "0")
        _ = server.terminate()
    }

    @Test(.enabled(if: HardenedState.appliance != nil, "the appliance executable is built alongside the tests"))
    func theServingFilterRefusesInternetSocketsExecveAndForkButNotUnixSocketsOrThreads() throws {
        let appliance = try #require(HardenedState.appliance)
        let result = try CommandResult.run(appliance, ["sandbox-selftest", "--json"])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
                                  as? [String: Any])
        #expect(object["seccomp_mode"] as? Int == 2)
        #expect(object["no_new_privs"] as? Bool == true)
        #expect(object["dumpable"] as? Bool == false)
        #expect(object["core_limit"] as? Int == 0)
        let checks = try #require(object["checks"] as? [[String: Any]])
        var got: [String: String] = [:]
        for check in checks { got[check["call"] as? String ?? ""] = check["got"] as? String }
        #expect(got["socket(AF_INET, SOCK_STREAM)"] == "EPERM")
        #expect(got["socket(AF_INET6, SOCK_DGRAM)"] == "EPERM")
        #expect(got["execve(/bin/false)"] == "EPERM")
        #expect(got["fork()"] == "EPERM")
        #expect(got["setrlimit(RLIMIT_CORE, 0)"] == "EPERM")
        #expect(got["socket(AF_UNIX, SOCK_STREAM)"] == "ok")
        #expect(got["pthread_create"] == "ok")
        #expect(object["ok"] as? Bool == true)
    }
}
