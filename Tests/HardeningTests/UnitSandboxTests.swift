import Foundation
import SigningPolicy
import TestSupport
import Testing
import Wire

/// Issue 7, acceptance 1: the real appliance inside the sandbox of hardening/appliance.service still loads its
/// PKCS#11 module, reads its PIN from a systemd-style credential and serves (and signs on) its socket.
///
/// systemd is not PID 1 on these machines, so `systemd-run -p …` cannot start the unit; hardening/run-sandboxed.sh
/// rebuilds its sandbox from util-linux tools instead (new mount, network, IPC and UTS namespaces; everything
/// read-only but the state and runtime directories; private /tmp and /dev; a /proc showing only its own
/// processes and no kernel files; empty /home and /root; its own user with no capability and no_new_privs; no
/// core dumps). What that does not reproduce is listed in
/// hardening/README.md.
@Suite(.serialized) struct UnitSandboxTests {
    static let serviceUser: uid_t = 4243
    static let script = HardenedState.repository + "/hardening/run-sandboxed.sh"

    static func temporaryDirectory(_ template: String) throws -> String {
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw TestFailure("mkdtemp \(template) failed") }
        return String(cString: made)
    }

    @Test(.enabled(if: HardenedState.appliance != nil && getuid() == 0,
                   "needs the appliance executable and root (to build the namespaces)"))
    func theApplianceServesSignsAndReadsItsCredentialInsideTheUnitsSandbox() throws {
        let built = try #require(HardenedState.appliance)
        // Where systemd would put them: StateDirectory= under /var/lib, RuntimeDirectory= and the credentials
        // under /run (outside /tmp, which the sandbox replaces).
        let state = try Self.temporaryDirectory("/var/lib/rb-sandbox-XXXXXX") + "/state"
        let runtime = try Self.temporaryDirectory("/run/rb-runtime-XXXXXX")
        let credentials = try Self.temporaryDirectory("/run/rb-credentials-XXXXXX")
        defer {
            for path in [(state as NSString).deletingLastPathComponent, runtime, credentials] {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        // A copy of the binary beside the state: the build directory may be under /tmp, which the sandbox hides.
        let appliance = URL(fileURLWithPath: (state as NSString).deletingLastPathComponent + "/appliance")
        try FileManager.default.copyItem(at: built, to: appliance)
        let initResult = try CommandResult.run(appliance, ["init", "--state", state, "--policy",
                                                           HardenedState.demoPolicy])
        try #require(initResult.status == 0, "init failed: \(initResult.standardError)")
        // LoadCredential=pin:/etc/rebalancer/pin: the PIN lives outside the state directory, mode 0400.
        try #require(rename(state + "/pin", credentials + "/pin") == 0)
        try #require(chmod(credentials + "/pin", 0o400) == 0)
        let user = "\(Self.serviceUser):\(Self.serviceUser)"
        let chown = try CommandResult.run(URL(fileURLWithPath: "/bin/chown"),
                                          ["-R", user, (state as NSString).deletingLastPathComponent, runtime,
                                           credentials])
        try #require(chown.status == 0, "\(chown.standardError)")

        let socket = runtime + "/appliance.sock"
        let server = try ServedAppliance(appliance: URL(fileURLWithPath: Self.script), arguments: [
            "--uid", "\(Self.serviceUser)", "--gid", "\(Self.serviceUser)",
            "--writable", state, "--writable", runtime, "--read-only", credentials, "--",
            "/usr/bin/env", "CREDENTIALS_DIRECTORY=\(credentials)", appliance.path,
            "serve", "--state", state, "--socket", socket, "--pin-credential", "pin", "--planner-uid", "0",
        ])
        defer { server.kill() }
        try server.waitForSocket(socket)
        try #require(server.waitForLog("serving on"), "\(server.standardError())")
        let pid = server.process.processIdentifier

        // It signs: SoftHSM loaded, the credential read, the token logged in, the socket served.
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        let response = try ApplianceClient.send(.propose(DemoProposals.rebalance(id: "unit-1", at: now)),
                                                socketPath: socket)
        guard case .decision(let decision) = response, decision.isApproved else {
            Issue.record("expected an approval inside the sandbox, got \(response): \(server.standardError())")
            return
        }

        // And it is the sandboxed process that does: its own user, no capability, no_new_privs, its filter, no
        // network namespace of the host's, not dumpable (so /proc/<pid>/* belongs to root), no core size.
        let status = try processStatus(pid)
        #expect(status["Uid"]?.split(separator: "\t").allSatisfy { $0 == "\(Self.serviceUser)" } == true,
                "Uid: \(status["Uid"] ?? "missing")")
        #expect(status["CapEff"] == "0000000000000000")
        #expect(status["CapBnd"] == "0000000000000000")
        #expect(status["NoNewPrivs"] == "1")
        #expect(status["Seccomp"] == "2")
        var procEntry = stat()
        #expect(stat("/proc/\(pid)/status", &procEntry) == 0 && procEntry.st_uid == 0,
                "/proc/\(pid)/status is owned by \(procEntry.st_uid): the appliance is still dumpable")
        let ownNetwork = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        let itsNetwork = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net")
        #expect(ownNetwork != itsNetwork, "the appliance shares the host's network namespace")
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        #expect(limits.split(separator: "\n").contains {
            $0.hasPrefix("Max core file size") && $0.split(separator: " ").dropFirst(4).prefix(2) == ["0", "0"]
        })

        let stopped = server.stopAndDescribe()
        #expect(stopped.status == 0, "\(stopped.threads) \(server.standardError())")
        let verify = try CommandResult.run(appliance, ["audit", "verify", "--state", state])
        #expect(verify.status == 0, "\(verify.standardOutput)\(verify.standardError)")
    }

    @Test(.enabled(if: getuid() == 0, "needs root (to build the namespaces)"))
    func theSandboxLeavesOnlyTheStateAndRuntimeDirectoriesWritable() throws {
        let state = try Self.temporaryDirectory("/var/lib/rb-sandbox-XXXXXX")
        defer { try? FileManager.default.removeItem(atPath: state) }
        try #require(chown(state, Self.serviceUser, Self.serviceUser) == 0)
        let probe = """
            touch /etc/rb-probe 2>/dev/null && echo etc-writable; \
            touch /usr/rb-probe 2>/dev/null && echo usr-writable; \
            touch \(state)/ok && echo state-writable; \
            ls /root | grep -q . && echo root-visible; \
            test -e /proc/sys && echo proc-sys-visible; test -e /proc/1 && echo other-users-visible; \
            ls /dev | tr '\\n' ' '; echo; \
            cat /proc/self/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' ' | tr '\\n' ' '
            """
        let result = try CommandResult.run(URL(fileURLWithPath: Self.script), [
            "--uid", "\(Self.serviceUser)", "--gid", "\(Self.serviceUser)", "--writable", state, "--",
            "/bin/sh", "-c", probe,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "state-writable", "\(result.standardOutput)")
        #expect(!result.standardOutput.contains("etc-writable") && !result.standardOutput.contains("usr-writable"))
        #expect(!result.standardOutput.contains("root-visible"))
        #expect(!result.standardOutput.contains("proc-sys-visible"))
        #expect(!result.standardOutput.contains("other-users-visible"))
        #expect(lines.dropFirst().first?.split(separator: " ").sorted() == ["full", "null", "pts", "random", "shm",
                                                                            "urandom", "zero"])
        #expect(lines.last?.trimmingCharacters(in: .whitespaces) == "lo", "network interfaces: \(lines.last ?? "")")
    }
}
