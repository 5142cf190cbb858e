import ApplianceCore
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Testing
import TestSupport

@Suite("Governance: policy activation and kill-switch release")
struct GovernanceTests {
    typealias F = GovernanceFixtures

    // MARK: - Signing helpers

    @Test func demoGovernanceKeysSignAsTheirListedAddresses() throws {
        let policy = try SigningPolicy.load(toml: try F.demoText())
        let digest = PolicyActivation.digest(policyBytes: Array("any".utf8))
        for (key, listed) in zip(F.signerKeys, policy.governance.signers) {
            #expect(try Secp256k1.address(privateKey: key) == listed)
            let signature = try Secp256k1.sign(digest: digest, privateKey: key)
            #expect(Secp256k1.isLowS(signature.s))
            #expect(try Secp256k1.recoverAddress(digest: digest, signature: signature) == listed)
        }
        #expect(throws: HSMError.self) { try Secp256k1.sign(digest: digest, privateKey: [UInt8](repeating: 0, count: 32)) }
    }

    // MARK: - Refusals

    @Test func unsignedPolicyIsRefused() throws {
        let clock = ManualClock()
        let (governance, _) = try F.governance(clock: clock)
        let candidate = try F.variant(version: 2, [F.longerCooldown])
        #expect(F.code { _ = try governance.activate(policy: candidate, signatures: []) } == .unsigned)
        #expect(try governance.state.latestPolicy()?.version == 1)
    }

    @Test func policySignedByFewerThanThresholdSignersIsRefused() throws {
        let (governance, _) = try F.governance(clock: ManualClock())
        let candidate = try F.variant(version: 2, [F.longerCooldown])
        let one = try F.sign(policy: candidate, key: F.signerKeys[0])
        #expect(F.code { _ = try governance.activate(policy: candidate, signatures: [one]) } == .belowThreshold)
        // The same signer twice is still one signer.
        #expect(F.code { _ = try governance.activate(policy: candidate, signatures: [one, one]) } == .belowThreshold)
        #expect(try governance.state.latestPolicy()?.version == 1)
    }

    @Test func policySignedByAKeyOutsideTheActiveSignersIsRefused() throws {
        let (governance, _) = try F.governance(clock: ManualClock())
        let candidate = try F.variant(version: 2, [F.longerCooldown])
        let signatures = [try F.sign(policy: candidate, key: F.signerKeys[0]),
                          try F.sign(policy: candidate, key: F.outsiderKey)]
        #expect(F.code { _ = try governance.activate(policy: candidate, signatures: signatures) } == .signerNotAllowed)
    }

    @Test func signatureOverDifferentBytesIsRefused() throws {
        let (governance, _) = try F.governance(clock: ManualClock())
        let signed = try F.variant(version: 2, [F.longerCooldown])
        let submitted = try F.variant(version: 2, [F.raiseMaxWeight])
        let signatures = try F.signerKeys.prefix(2).map { try F.sign(policy: signed, key: $0) }
        #expect(F.code { _ = try governance.activate(policy: submitted, signatures: signatures) } == .signerNotAllowed)
    }

    @Test func malformedSignatureIsRefused() throws {
        let (governance, _) = try F.governance(clock: ManualClock())
        let candidate = try F.variant(version: 2, [F.longerCooldown])
        let good = try F.sign(policy: candidate, key: F.signerKeys[0])
        for bad in ["0x1234", String(good.dropLast(2)) + "1d", "not hex"] {
            #expect(F.code { _ = try governance.activate(policy: candidate, signatures: [good, bad]) } == .badSignature)
        }
    }

    @Test func signersOfTheCandidateCannotApproveThemselves() throws {
        // The candidate names the outsider as its only signer; only the ACTIVE policy's signers count.
        let (governance, _) = try F.governance(clock: ManualClock())
        let outsider = try Secp256k1.address(privateKey: F.outsiderKey).checksummed
        let candidate = try F.variant(version: 2, [
            ("threshold = 2", "threshold = 1"),
            ("\"0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1\",", "\"\(outsider)\","),
        ])
        let signature = try F.sign(policy: candidate, key: F.outsiderKey)
        #expect(F.code { _ = try governance.activate(policy: candidate, signatures: [signature]) } == .signerNotAllowed)
    }

    @Test func sameVersionPolicyIsRefused() throws {
        let (governance, _) = try F.governance(clock: ManualClock())
        let candidate = try F.variant(version: 1, [F.longerCooldown])
        let signatures = try F.signerKeys.map { try F.sign(policy: candidate, key: $0) }
        #expect(F.code { _ = try governance.activate(policy: candidate, signatures: signatures) } == .versionNotHigher)
    }

    @Test func lowerVersionPolicyIsRefused() throws {
        let (governance, _) = try F.governance(clock: ManualClock(), initial: try F.variant(version: 3))
        let candidate = try F.variant(version: 2, [F.longerCooldown])
        let signatures = try F.signerKeys.map { try F.sign(policy: candidate, key: $0) }
        #expect(F.code { _ = try governance.activate(policy: candidate, signatures: signatures) } == .versionNotHigher)
    }

    @Test func invalidCandidatePolicyIsRefused() throws {
        let (governance, _) = try F.governance(clock: ManualClock())
        let candidate = try F.variant(version: 2, [("threshold = 2", "threshold = 7")])
        let signatures = try F.signerKeys.map { try F.sign(policy: candidate, key: $0) }
        #expect(F.code { _ = try governance.activate(policy: candidate, signatures: signatures) } == .policyInvalid)
    }

    // MARK: - Delays

    @Test func looseningPolicyWaitsForTheDelay() throws {
        let clock = ManualClock()
        let (governance, _) = try F.governance(clock: clock)
        clock.advance(by: Duration(seconds: 3_600))
        let activatedAt = clock.now
        let candidate = try F.variant(version: 2, [F.raiseMaxWeight])
        let signatures = try [F.signerKeys[2], F.signerKeys[0]].map { try F.sign(policy: candidate, key: $0) }
        let activation = try governance.activate(policy: candidate, signatures: signatures)
        #expect(activation.checked.effectiveAt == activatedAt + Duration(seconds: 86_400))
        #expect(activation.checked.comparison.loosened.map(\.key) == ["allocation.max_weight_bps"])
        #expect(try governance.state.latestPolicy()?.version == 2)

        // Not active before the delay…
        #expect(try governance.activePolicy().version == 1)
        clock.advance(by: Duration(seconds: 86_399))
        #expect(try governance.activePolicy().version == 1)
        // …active once it has passed.
        clock.advance(by: Duration(seconds: 1))
        #expect(try governance.activePolicy().version == 2)
        #expect(try governance.activePolicy().sha256 == PolicyDigest.sha256Hex(candidate))

        let entry = try #require(try governance.audit.entries().last)
        #expect(entry.kind == "policy_installed")
        #expect(entry.body.contains("\"loosened\":[\"allocation.max_weight_bps\"]"))
        #expect(entry.body.contains("\"effective_at\":\"\((activatedAt + Duration(seconds: 86_400)).rfc3339)\""))
    }

    @Test func tighteningPolicyAppliesAtOnce() throws {
        let clock = ManualClock()
        let (governance, _) = try F.governance(clock: clock)
        let candidate = try F.variant(version: 2, [F.longerCooldown])
        let signatures = try F.signerKeys.prefix(2).map { try F.sign(policy: candidate, key: $0) }
        let activation = try governance.activate(policy: candidate, signatures: signatures)
        #expect(activation.checked.effectiveAt == clock.now)
        #expect(activation.checked.comparison.tightened.map(\.key) == ["rate.cooldown"])
        #expect(try governance.activePolicy().version == 2)
        #expect(activation.checked.approvals.map(\.signer)
                    == (try F.signerKeys.prefix(2).map { try Secp256k1.address(privateKey: $0) }))
    }

    @Test func policyWaitingForItsDelayStillBlocksItsVersion() throws {
        let clock = ManualClock()
        let (governance, _) = try F.governance(clock: clock)
        let loosening = try F.variant(version: 2, [F.raiseMaxWeight])
        _ = try governance.activate(policy: loosening,
                                    signatures: try F.signerKeys.prefix(2).map { try F.sign(policy: loosening, key: $0) })
        let tightening = try F.variant(version: 2, [F.longerCooldown])
        let signatures = try F.signerKeys.prefix(2).map { try F.sign(policy: tightening, key: $0) }
        #expect(F.code { _ = try governance.activate(policy: tightening, signatures: signatures) } == .versionNotHigher)
    }

    @Test func decisionEngineUsesTheActivatedPolicy() throws {
        let fixture = try EngineFixture()
        defer { fixture.remove() }
        let governance = try Governance(databasePath: fixture.layout.database, clock: fixture.clock.function)
        let candidate = try F.variant(version: 2, [F.longerCooldown])
        _ = try governance.activate(policy: candidate,
                                    signatures: try F.signerKeys.prefix(2).map { try F.sign(policy: candidate, key: $0) })
        guard case .status(let status) = fixture.engine.submit(.status) else {
            Issue.record("status did not answer with a status")
            return
        }
        #expect(status.policySHA256 == PolicyDigest.sha256Hex(candidate))
    }

    // MARK: - First policy

    @Test func operatorInstallsTheFirstPolicyOnceAndKeepsIt() throws {
        let clock = ManualClock()
        let (governance, _) = try F.governance(clock: clock)
        let demo = Array(try F.demoText().utf8)
        guard case .unchanged(let kept) = try governance.installInitialPolicy(demo) else {
            Issue.record("a second install of the same policy changed something")
            return
        }
        #expect(kept.version == 1 && kept.effectiveAt == clock.now)
        #expect(F.code { _ = try governance.installInitialPolicy(try F.variant(version: 2)) } == .alreadyInitialised)
        let entries = try governance.audit.entries()
        #expect(entries.map(\.kind) == ["policy_installed"])
        #expect(entries[0].body.contains("\"signers\":\"operator\""))
    }

    @Test func invalidFirstPolicyIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gov-invalid-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let governance = try Governance(databasePath: directory + "/appliance.sqlite", clock: ManualClock().function)
        #expect(F.code { _ = try governance.installInitialPolicy(Array("[policy]\nname = 1\n".utf8)) } == .policyInvalid)
        #expect(try governance.state.latestPolicy() == nil)
        #expect(F.code { _ = try governance.activePolicy() } == .noActivePolicy)
    }

    // MARK: - Kill switch

    @Test func killSwitchReleaseWithoutQuorumIsRefused() throws {
        let clock = ManualClock()
        let (governance, _) = try F.governance(clock: clock)
        try governance.engageKillSwitch(reason: "peg alert", source: "operator")
        let release = try governance.pendingRelease()
        let one = try F.sign(release: release, key: F.signerKeys[1])
        #expect(F.code { _ = try governance.releaseKillSwitch(signatures: [one], source: "operator") } == .belowThreshold)
        #expect(F.code { _ = try governance.releaseKillSwitch(signatures: [], source: "operator") } == .unsigned)
        let outsider = try F.sign(release: release, key: F.outsiderKey)
        #expect(F.code { _ = try governance.releaseKillSwitch(signatures: [one, outsider], source: "operator") }
                    == .signerNotAllowed)
        #expect(try governance.state.killSwitch().engaged)
    }

    @Test func killSwitchReleaseWithQuorumReleases() throws {
        let clock = ManualClock()
        let (governance, _) = try F.governance(clock: clock)
        try governance.engageKillSwitch(reason: "peg alert", source: "operator")
        let release = try governance.pendingRelease()
        #expect(release.message == "rebalancer: release the kill switch engaged at 2026-11-27T09:00:00Z "
                    + "(audit entry 2) under policy " + PolicyDigest.sha256Hex(Array(try F.demoText().utf8)))
        clock.advance(by: Duration(seconds: 600))
        let signatures = try F.signerKeys.suffix(2).map { try F.sign(release: release, key: $0) }
        let done = try governance.releaseKillSwitch(signatures: signatures, source: "operator")
        #expect(done.approvers.count == 2)
        #expect(try governance.state.killSwitch() == .released)
        #expect(try governance.audit.entries().map(\.kind)
                    == ["policy_installed", "kill_switch_engaged", "kill_switch_released"])
        #expect(F.code { _ = try governance.releaseKillSwitch(signatures: signatures, source: "operator") }
                    == .killSwitchNotEngaged)
    }

    /// A later engagement an hour on, or one in the very same second under the same policy (then only the
    /// audit entry in the message tells the two apart): the earlier release's signatures release neither.
    @Test(arguments: [3_600, 0])
    func releaseSignedForAnEarlierEngagementCannotReleaseALaterOne(secondsBetween: Int) throws {
        let clock = ManualClock()
        let (governance, _) = try F.governance(clock: clock)
        try governance.engageKillSwitch(reason: "first", source: "operator")
        let first = try governance.pendingRelease()
        let old = try F.signerKeys.prefix(2).map { try F.sign(release: first, key: $0) }
        _ = try governance.releaseKillSwitch(signatures: old, source: "operator")

        clock.advance(by: Duration(seconds: Int64(secondsBetween)))
        try governance.engageKillSwitch(reason: "second", source: "planner")
        let second = try governance.pendingRelease()
        #expect((second.engagedSince == first.engagedSince) == (secondsBetween == 0))
        #expect(second != first)
        #expect(F.code { _ = try governance.releaseKillSwitch(signatures: old, source: "operator") }
                    == .signerNotAllowed)
        #expect(try governance.state.killSwitch().engaged)
    }

    @Test func engagingAgainKeepsTheFirstEngagement() throws {
        let clock = ManualClock()
        let (governance, _) = try F.governance(clock: clock)
        let first = try governance.engageKillSwitch(reason: "first", source: "operator")
        clock.advance(by: Duration(seconds: 60))
        let second = try governance.engageKillSwitch(reason: "second", source: "operator")
        #expect(first == second && second.reason == "first")
        #expect(try governance.audit.entries().last?.body.contains("\"already_engaged\":true") == true)
    }
}
