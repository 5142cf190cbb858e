import ApplianceCore
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Testing
import TestSupport
import Wire

/// The `appliance policy`, `killswitch` and `init --policy` commands, run as subprocesses.
@Suite("CLI: policy, governance and init")
struct CLIGovernanceTests {
    typealias F = GovernanceFixtures

    func run(_ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(try #require(BuiltProducts.executable(named: "appliance")), arguments)
    }

    func temporaryDirectory(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("cli-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        return path
    }

    @Test func policyTestRunsAtLeastFortyCasesCoveringEveryReasonCode() throws {
        let directory = EngineFixture.policyDirectory + "/tests"
        let text = try run(["policy", "test", directory])
        #expect(text.status == 0, "\(text.standardOutput)\(text.standardError)")
        let summary = try #require(text.standardOutput.split(separator: "\n").last)
        let passed = try #require(Int(summary.split(separator: " ")[0]))
        #expect(passed >= 40)
        #expect(summary == "\(passed) passed, 0 failed")

        let json = try run(["policy", "test", directory, "--json"])
        let report = try JSONParser.parse(Array(json.standardOutput.utf8), maxDepth: 16)
        #expect(report["failed"] == .integer(0))
        #expect(report["codes_missing"] == .array([]))
        #expect(report["codes_covered"] == .array(ReasonCode.allCases.map { .string($0.rawValue) }))
    }

    @Test func policyTestFailsWhenACaseFails() throws {
        let directory = try temporaryDirectory("failing-case")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var text = try String(contentsOfFile: EngineFixture.policyDirectory + "/tests/approve-01-rebalance.toml",
                              encoding: .utf8)
        text = text.replacingOccurrences(of: "policy = \"../demo.toml\"",
                                         with: "policy = \"\(EngineFixture.policyDirectory)/demo.toml\"")
            .replacingOccurrences(of: "decision = \"approved\"\ncodes = []", with: "decision = \"rejected\"\ncodes = [\"WRONG_CHAIN\"]")
        try text.write(toFile: directory + "/case.toml", atomically: true, encoding: .utf8)
        let result = try run(["policy", "test", directory])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("0 passed, 1 failed"))
    }

    @Test func policyCheckAcceptsTheDemoAndRejectsABrokenPolicy() throws {
        let demo = try run(["policy", "check", EngineFixture.policyDirectory + "/demo.toml", "--json"])
        #expect(demo.status == 0)
        let json = try JSONParser.parse(Array(demo.standardOutput.utf8), maxDepth: 16)
        #expect(json["sha256"] == .string(PolicyDigest.sha256Hex(Array(try F.demoText().utf8))))
        #expect(json["version"] == .integer(1) && json["mode"] == .string("safe"))

        let directory = try temporaryDirectory("broken")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broken = try F.demoText().replacingOccurrences(of: "threshold = 2", with: "threshold = 9")
        try broken.write(toFile: directory + "/broken.toml", atomically: true, encoding: .utf8)
        let result = try run(["policy", "check", directory + "/broken.toml"])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("error: governance.threshold"))
        #expect(result.standardError.contains("\nhint: "))
    }

    @Test func initInstallsThePolicyAndASecondRunKeepsIt() throws {
        let directory = try temporaryDirectory("init")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = directory + "/state"
        let demo = EngineFixture.policyDirectory + "/demo.toml"
        let first = try run(["init", "--state", state, "--policy", demo, "--json"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("\"policy_installed\":true"))
        let second = try run(["init", "--state", state, "--policy", demo, "--json"])
        #expect(second.status == 0, "\(second.standardError)")
        #expect(second.standardOutput.contains("\"policy_installed\":false"))

        try Data(try F.variant(version: 2)).write(to: URL(fileURLWithPath: directory + "/v2.toml"))
        let other = try run(["init", "--state", state, "--policy", directory + "/v2.toml"])
        #expect(other.status == 1)
        #expect(other.standardError.contains("GOVERNANCE_ALREADY_INITIALISED"))
        #expect(other.standardError.contains("policy activate"))

        let governance = try Governance(databasePath: state + "/appliance.sqlite", clock: ManualClock().function)
        #expect(try governance.state.policyHistory().map(\.version) == [1])
        let verify = try run(["audit", "verify", "--state", state])
        #expect(verify.status == 0, "\(verify.standardError)")
    }

    @Test func initWithAnInvalidPolicyFailsBeforeCreatingState() throws {
        let directory = try temporaryDirectory("init-bad")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "[policy]\nname = \"x\"\n".write(toFile: directory + "/bad.toml", atomically: true, encoding: .utf8)
        let result = try run(["init", "--state", directory + "/state", "--policy", directory + "/bad.toml"])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("error: policy.version"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/state"))
    }

    @Test func policyExplainListsEveryRuleAndTheDecision() throws {
        let clock = ManualClock()
        let (_, directory) = try F.governance(clock: clock)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let proposal = DemoProposals.rebalance(id: "x1", at: clock.now, step: 0)
        try Data(Request.propose(proposal).encoded()).write(to: URL(fileURLWithPath: directory + "/p.json"))
        let result = try run(["policy", "explain", "--state", directory, "--proposal", directory + "/p.json",
                              "--at", clock.now.rfc3339])
        #expect(result.status == 0, "\(result.standardError)")
        for rule in PolicyEvaluator.standardRules {
            #expect(result.standardOutput.contains("  \(rule.name)\n"), "explain does not list \(rule.name)")
        }
        #expect(result.standardOutput.contains("decision: approved"))

        // The bare proposal object, an hour later: expired.
        try Data(proposal.jsonValue.serializedBytes()).write(to: URL(fileURLWithPath: directory + "/bare.json"))
        let late = try run(["policy", "explain", "--state", directory, "--proposal", directory + "/bare.json",
                            "--at", (clock.now + Duration(seconds: 3_600)).rfc3339, "--json"])
        let json = try JSONParser.parse(Array(late.standardOutput.utf8), maxDepth: 16)
        #expect(json["decision"] == .string("rejected"))
        guard case .array(let rules)? = json["rules"] else {
            Issue.record("no rules")
            return
        }
        #expect(rules.count == PolicyEvaluator.standardRules.count)
        #expect(late.standardOutput.contains("PROPOSAL_EXPIRED"))
    }

    @Test func policySignAndActivateThroughTheCommandLine() throws {
        let (governance, directory) = try F.governance(clock: ManualClock(Timestamp(seconds: 0)))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let candidate = try F.variant(version: 2, [F.raiseMaxWeight])
        try Data(candidate).write(to: URL(fileURLWithPath: directory + "/v2.toml"))
        var lines: [String] = []
        for (i, key) in F.signerKeys.prefix(2).enumerated() {
            let keyFile = directory + "/key\(i)"
            try Hex.encode(key).write(toFile: keyFile, atomically: true, encoding: .utf8)
            chmod(keyFile, 0o600)
            let signed = try run(["policy", "sign", directory + "/v2.toml", "--key-file", keyFile])
            #expect(signed.status == 0, "\(signed.standardError)")
            lines.append(signed.standardOutput)
        }
        // One signature is refused with its code and leaves nothing installed.
        try lines[0].write(toFile: directory + "/one.sigs", atomically: true, encoding: .utf8)
        let under = try run(["policy", "activate", "--state", directory, directory + "/v2.toml",
                             "--signatures", directory + "/one.sigs"])
        #expect(under.status == 1)
        #expect(under.standardError.contains("GOVERNANCE_BELOW_THRESHOLD"))

        try lines.joined().write(toFile: directory + "/v2.sigs", atomically: true, encoding: .utf8)
        let result = try run(["policy", "activate", "--state", directory, directory + "/v2.toml",
                              "--signatures", directory + "/v2.sigs", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try JSONParser.parse(Array(result.standardOutput.utf8), maxDepth: 16)
        #expect(json["immediate"] == .bool(false))
        #expect(try governance.state.latestPolicy()?.version == 2)
    }

    @Test func killSwitchReleaseThroughTheCommandLineNeedsQuorum() throws {
        let (_, directory) = try F.governance(clock: ManualClock())
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engaged = try run(["killswitch", "engage", "--state", directory, "--reason", "drill"])
        #expect(engaged.status == 0, "\(engaged.standardError)")
        let message = try run(["killswitch", "release-message", "--state", directory])
        #expect(message.standardOutput.hasPrefix("rebalancer: release the kill switch engaged at "))
        var signatures: [String] = []
        for (i, key) in F.signerKeys.suffix(2).enumerated() {
            let keyFile = directory + "/key\(i)"
            try Hex.encode(key).write(toFile: keyFile, atomically: true, encoding: .utf8)
            chmod(keyFile, 0o600)
            let signed = try run(["killswitch", "sign-release", "--state", directory, "--key-file", keyFile])
            let json = try JSONParser.parse(Array(signed.standardOutput.utf8))
            guard case .string(let signature)? = json["signature"] else {
                Issue.record("sign-release printed no signature: \(signed.standardError)")
                return
            }
            signatures.append(signature)
        }
        let refused = try run(["killswitch", "release", "--state", directory, "--signature", signatures[0]])
        #expect(refused.status == 1 && refused.standardError.contains("GOVERNANCE_BELOW_THRESHOLD"))
        let released = try run(["killswitch", "release", "--state", directory, "--signature"] + signatures)
        #expect(released.status == 0, "\(released.standardError)")
        #expect(try Governance(databasePath: directory + "/appliance.sqlite", clock: ManualClock().function)
                    .state.killSwitch() == .released)
    }
}
