import ApplianceCore
import Foundation
import SigningPolicy
import TestSupport
import Testing
import Wire

/// Issue 7, fault tests on a serving appliance: a full disk, a vanished HSM token and a token it cannot log in to
/// again each make it refuse to sign
/// with a clear message (protocol code `INTERNAL`, the only pinned code for "could not do it"), keep it up, and
/// it signs again once the fault is gone; nothing already recorded is lost (the audit chain verifies).
@Suite(.serialized) struct ServingFaultTests {
    /// A keeper-mode policy with the rate limits opened, so consecutive rebalances are approved.
    static func stressPolicyFile(in directory: String) throws -> String {
        let path = directory + "/stress.toml"
        try StressPolicy.text(mode: .keeper).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func proposal(_ id: String, step: Int) -> Proposal {
        let allocation = StressPolicy.step(step)
        return DemoProposals.rebalance(id: id, at: Timestamp(seconds: Int64(Date().timeIntervalSince1970)),
                                       targets: allocation.targets, reserveBps: allocation.reserveBps)
    }

    static func send(_ proposal: Proposal, to socket: String) throws -> Response {
        try ApplianceClient.send(.propose(proposal), socketPath: socket, timeoutMilliseconds: 30_000)
    }

    static func expectApproved(_ response: Response, _ note: String) {
        guard case .decision(let decision) = response, decision.isApproved else {
            Issue.record("\(note): expected an approval, got \(response)")
            return
        }
    }

    /// The audit entries whose body mentions `text`.
    static func auditMentions(_ text: String, state: String) throws -> Int {
        let log = try AuditLog(database: Database(path: state + "/appliance.sqlite", readOnly: true))
        return try log.entries().filter { $0.body.contains(text) }.count
    }

    @Test(.enabled(if: HardenedState.appliance != nil, "the appliance executable is built alongside the tests"))
    func aVanishedOrLockedTokenIsRefusedWithAClearCodeAndSigningResumesWhenItIsBack() throws {
        let scratch = try HardenedState.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let dir = try HardenedState(policy: Self.stressPolicyFile(in: scratch))
        defer { dir.remove() }
        let server = try dir.serve()
        defer { server.kill() }
        Self.expectApproved(try Self.send(Self.proposal("t1", step: 0), to: dir.socket), "before the fault")

        let tokens = dir.state + "/softhsm/tokens"
        try #require(rename(tokens, tokens + ".away") == 0)
        let refused = try Self.send(Self.proposal("t2", step: 1), to: dir.socket)
        guard case .error(let error) = refused else {
            Issue.record("expected an error frame while the token is away, got \(refused)")
            return
        }
        #expect(error.code == .internal)
        #expect(error.message.contains("HSM_TOKEN_UNAVAILABLE"), "\(error.message)")
        #expect(error.message.contains("nothing was released"))
        #expect(server.process.isRunning)

        // The token is back but the PIN file no longer holds its PIN (a token that cannot be unlocked): refused
        // again, without spending one of the token's login attempts on a PIN known to be wrong.
        let pinFile = dir.state + "/pin"
        let pin = try Data(contentsOf: URL(fileURLWithPath: pinFile))
        try Data("not-the-pin\n".utf8).write(to: URL(fileURLWithPath: pinFile))
        try #require(rename(tokens + ".away", tokens) == 0)
        let locked = try Self.send(Self.proposal("t2b", step: 1), to: dir.socket)
        guard case .error(let lockedError) = locked else {
            Issue.record("expected an error frame with the wrong PIN, got \(locked)")
            return
        }
        #expect(lockedError.code == .internal)
        #expect(lockedError.message.contains("HSM_TOKEN_UNAVAILABLE")
                    && lockedError.message.contains("no longer holds the PIN"), "\(lockedError.message)")

        try pin.write(to: URL(fileURLWithPath: pinFile))
        Self.expectApproved(try Self.send(Self.proposal("t3", step: 1), to: dir.socket), "after the token is back")
        let stopped = server.stopAndDescribe()
        #expect(stopped.status == 0, "\(stopped.threads) \(server.standardError())")
        let verify = try dir.run(["audit", "verify", "--state", dir.state])
        #expect(verify.status == 0, "\(verify.standardOutput)\(verify.standardError)")
        #expect(try Self.auditMentions("\"t1\"", state: dir.state) >= 1)
        #expect(try Self.auditMentions("\"t3\"", state: dir.state) >= 1)
    }

    @Test(.enabled(if: HardenedState.appliance != nil, "the appliance executable is built alongside the tests"))
    func aFullDiskRefusesToSignKeepsServingAndLosesNothing() throws {
        let scratch = try HardenedState.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let mountPoint = scratch + "/fs"
        try #require(mkdir(mountPoint, 0o700) == 0)
        let mounted = try CommandResult.run(URL(fileURLWithPath: "/bin/mount"),
                                            ["-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", mountPoint])
        try #require(mounted.status == 0, "mounting a 6 MiB tmpfs needs root: \(mounted.standardError)")
        defer { _ = try? CommandResult.run(URL(fileURLWithPath: "/bin/umount"), ["-l", mountPoint]) }

        let dir = try HardenedState(policy: Self.stressPolicyFile(in: scratch), parent: mountPoint)
        let server = try dir.serve()
        defer { server.kill() }
        Self.expectApproved(try Self.send(Self.proposal("d1", step: 0), to: dir.socket), "before the disk fills")

        // Fill the file system to the last byte.
        let filler = mountPoint + "/filler"
        let fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        let block = [UInt8](repeating: 0xAB, count: 64 * 1024)
        var chunk = block.count
        while chunk > 0 {
            if write(fd, block, chunk) < 0 {
                guard errno == ENOSPC else { break }
                chunk /= 2
            }
        }
        close(fd)

        var refusals = 0
        for attempt in 0..<3 {
            let response = try Self.send(Self.proposal("full-\(attempt)", step: 1), to: dir.socket)
            switch response {
            case .error(let error):
                #expect(error.code == .internal)
                #expect(error.message.contains("full"), "\(error.message)")
                #expect(error.message.contains("nothing was signed or released"), "\(error.message)")
                refusals += 1
            case .decision(let decision):
                #expect(!decision.isApproved, "approved and signed with a full disk: \(decision)")
            default:
                Issue.record("unexpected answer with a full disk: \(response)")
            }
        }
        #expect(refusals == 3)
        #expect(server.process.isRunning, "the appliance died on a full disk: \(server.standardError())")

        try #require(unlink(filler) == 0)
        Self.expectApproved(try Self.send(Self.proposal("d2", step: 1), to: dir.socket), "once space is free")
        let stopped = server.stopAndDescribe()
        #expect(stopped.status == 0, "\(stopped.threads) \(server.standardError())")
        let verify = try dir.run(["audit", "verify", "--state", dir.state])
        #expect(verify.status == 0, "\(verify.standardOutput)\(verify.standardError)")
        #expect(try Self.auditMentions("\"d1\"", state: dir.state) >= 1)
        #expect(try Self.auditMentions("\"d2\"", state: dir.state) >= 1)
        #expect(try Self.auditMentions("\"full-0\"", state: dir.state) == 0, "a refused decision was recorded")
    }
}
