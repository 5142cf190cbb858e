import ApplianceCore
import Dispatch
import Foundation
import Ethereum
import HSM
import SigningPolicy
import Testing
import TestSupport
import Wire

@Suite struct DecisionEngineTests {
    private func decision(_ outcome: DecisionEngine.Outcome) throws -> (DecisionResponse, SafeBundle?) {
        guard case .decision(let response, let bundle) = outcome else {
            Issue.record("expected a decision, got \(outcome)")
            throw EngineFailure("not a decision")
        }
        return (response, bundle)
    }

    private func verifier(_ f: EngineFixture) -> AuditVerifier {
        AuditVerifier(auditAddress: f.auditSigner.address) { try? Secp256k1.recoverAddress(digest: $0, signature: $1) }
    }

    @Test func approvedSafeProposalCarriesABundleThatVerifiesAndRecoversToTheKeeper() throws {
        let f = try EngineFixture()
        defer { f.remove() }
        let (response, bundle) = try decision(f.engine.submit(.propose(DemoProposals.rebalance(id: "p1", at: f.clock.now))))
        #expect(response.isApproved)
        #expect(response.reasons.isEmpty)
        let verified = try BundleVerifier.verify(try #require(bundle).json.serializedBytes())
        #expect(verified.appliance == f.keeper.address)
        #expect(verified.safe == f.policy.safeAddress)
        guard case .rebalance(let targets, let reserve, _, let deadline) = verified.call else {
            Issue.record("expected a rebalance call")
            return
        }
        #expect(targets == DemoProposals.allocations[0].targets)
        #expect(reserve == 5000)
        #expect(deadline == UInt64((f.clock.now + f.policy.proposal.maxAge).seconds))
        #expect(try f.engine.state.nextNonce(.safe) == 1)
    }

    @Test func secondProposalWithinTheCooldownIsRejectedAndAudited() throws {
        let f = try EngineFixture()
        defer { f.remove() }
        _ = try decision(f.engine.submit(.propose(DemoProposals.rebalance(id: "p1", at: f.clock.now))))
        let (second, bundle) = try decision(f.engine.submit(.propose(DemoProposals.rebalance(
            id: "p2", at: f.clock.now, step: 1))))
        #expect(!second.isApproved)
        #expect(bundle == nil)
        #expect(second.reasons.map(\.code) == [.cooldownActive])
        let entries = try f.engine.audit.entries()
        #expect(entries.count == 2)
        #expect(entries[1].body.contains("\"COOLDOWN_ACTIVE\""))
        #expect(second.audit.seq == 2)
        #expect(try f.engine.state.nextNonce(.safe) == 1)
    }

    @Test func keeperModeSignsAnEIP1559TransactionToTheHubWithConsecutiveNonces() throws {
        let f = try EngineFixture(mode: .keeper)
        defer { f.remove() }
        var nonces: [UInt64] = []
        for (i, allocation) in DemoProposals.allocations.prefix(2).enumerated() {
            let (response, _) = try decision(f.engine.submit(.propose(DemoProposals.rebalance(
                id: "k\(i)", at: f.clock.now, step: i))))
            guard case .approved(.keeper(let signed)) = response.outcome else {
                Issue.record("expected a keeper approval, got \(response)")
                return
            }
            let decoded = try SignedEIP1559Transaction(raw: signed.rawTransaction)
            #expect(decoded.transaction.to == f.policy.hub)
            #expect(decoded.transaction.chainID == 1)
            #expect(decoded.hash == signed.transactionHash)
            #expect(try Secp256k1.recoverAddress(digest: decoded.transaction.signingHash,
                                                 signature: decoded.signature) == f.keeper.address)
            let call = try HubCall(calldata: decoded.transaction.data)
            #expect(call == .rebalance(targets: allocation.targets, reserveBps: allocation.reserveBps, maxSlippageBps: 10,
                                       deadline: UInt64((f.clock.now + f.policy.proposal.maxAge).seconds)))
            nonces.append(signed.nonce)
            f.clock.advance(by: Duration(seconds: 7 * 3_600))
        }
        #expect(nonces == [0, 1])
    }

    @Test func anIDSeenBeforeIsRejectedWhateverItsFirstOutcome() throws {
        let f = try EngineFixture()
        defer { f.remove() }
        var bad = DemoProposals.rebalance(id: "dup", at: f.clock.now)
        bad.chainID = 5
        let (first, _) = try decision(f.engine.submit(.propose(bad)))
        #expect(first.reasons.map(\.code) == [.wrongChain])
        let (second, _) = try decision(f.engine.submit(.propose(DemoProposals.rebalance(id: "dup", at: f.clock.now))))
        #expect(second.reasons.map(\.code) == [.duplicateID])
    }

    @Test func killSwitchBlocksRebalancesButApprovesTheExitToTheSafeHaven() throws {
        let f = try EngineFixture()
        defer { f.remove() }
        guard case .status(let status) = f.engine.submit(.engageKillSwitch(reason: "test de-peg", source: "test")) else {
            Issue.record("expected a status")
            return
        }
        #expect(status.killSwitch.engaged)
        #expect(status.killSwitch.reason == "test de-peg")
        let (rebalance, _) = try decision(f.engine.submit(.propose(DemoProposals.rebalance(id: "r", at: f.clock.now))))
        #expect(rebalance.reasons.map(\.code).contains(.killSwitchEngaged))
        let (exit, bundle) = try decision(f.engine.submit(.propose(DemoProposals.emergencyExit(id: "x", at: f.clock.now))))
        #expect(exit.isApproved)
        let verified = try BundleVerifier.verify(try #require(bundle).json.serializedBytes())
        #expect(verified.call == .emergencyExit(
            safeHaven: DemoProposals.aaveUSDC, maxSlippageBps: 10,
            deadline: UInt64((f.clock.now + f.policy.proposal.maxAge).seconds)))
    }

    @Test func aClockThatJumpsBackwardsCannotShortenTheCooldown() throws {
        let f = try EngineFixture()
        defer { f.remove() }
        let start = f.clock.now
        _ = try decision(f.engine.submit(.propose(DemoProposals.rebalance(id: "a", at: start))))
        // The wall clock steps back a day: the decision clock does not follow it, so no time has passed since the
        // approval and the cooldown holds; once the wall clock is 6 h past the approval, it has passed.
        f.clock.set(start - Duration(seconds: 86_400))
        let (early, _) = try decision(f.engine.submit(.propose(DemoProposals.rebalance(id: "b", at: start, step: 1))))
        #expect(early.reasons.map(\.code) == [.cooldownActive])
        f.clock.set(start + Duration(seconds: 6 * 3_600))
        let (later, _) = try decision(f.engine.submit(.propose(DemoProposals.rebalance(
            id: "c", at: f.clock.now, step: 1))))
        #expect(later.isApproved)
    }

    @Test func concurrentProposalsAreGroupCommittedWithUniqueNoncesAndAnIntactAuditChain() throws {
        let f = try EngineFixture(mode: .keeper, checkpointInterval: 16)
        defer { f.remove() }
        let results = ResultsBox()
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            // Every eighth proposal is fresh and valid; the cooldown lets only the first of those through.
            var p = DemoProposals.rebalance(id: "c\(i)", at: f.clock.now)
            if i % 8 != 0 { p.maxSlippageBps = 9_999 }
            results.append(f.engine.submit(.propose(p)))
        }
        var approvedNonces: [UInt64] = []
        var rejected = 0
        for outcome in results.all {
            guard case .decision(let response, _) = outcome else {
                Issue.record("unexpected outcome \(outcome)")
                continue
            }
            if case .approved(.keeper(let signed)) = response.outcome { approvedNonces.append(signed.nonce) }
            else { rejected += 1 }
        }
        #expect(approvedNonces == [0])
        #expect(rejected == 63)
        f.engine.checkpointNow()
        let report = try verifier(f).verify(f.engine.audit)
        #expect(report.isIntact, "\(String(describing: report.problem))")
        #expect(report.entries == 64)
        #expect(report.uncheckpointedTail == 0)
    }

    @Test func statusReportsTheAppliedBudgetsAndTheAuditHead() throws {
        let f = try EngineFixture()
        defer { f.remove() }
        _ = try decision(f.engine.submit(.propose(DemoProposals.rebalance(id: "s1", at: f.clock.now))))
        guard case .status(let status) = f.engine.submit(.status) else {
            Issue.record("expected a status")
            return
        }
        #expect(status.mode == .safe)
        #expect(status.signerAddress == f.keeper.address)
        #expect(status.nextNonce == 1)
        #expect(status.rebalances24h == 1)
        #expect(status.turnover24hBps == 5_000)
        #expect(status.lastRebalanceAt == f.clock.now)
        #expect(status.audit.seq == 1)
        #expect(status.policySHA256 == PolicyDigest.sha256Hex(Array(f.policyText.utf8)))
    }
}

/// Outcomes appended from many threads.
final class ResultsBox: @unchecked Sendable {
    // @unchecked: `items` is only touched under `lock`.
    private let lock = Mutex()
    private var items: [DecisionEngine.Outcome] = []
    func append(_ outcome: DecisionEngine.Outcome) { lock.withLock { items.append(outcome) } }
    var all: [DecisionEngine.Outcome] { lock.withLock { items } }
}

/// Signs with the throwaway token's keeper key but always refuses the first digest it is given.
final class PoisonedSigner: DigestSigner, @unchecked Sendable {
    // @unchecked: `poisoned` is only touched under `lock`.
    private let inner: HSMSigner
    private let lock = Mutex()
    private var poisoned: [UInt8]?

    init(_ inner: HSMSigner) { self.inner = inner }

    var address: Address { inner.address }

    func sign(digest: [UInt8]) throws -> EthereumSignature {
        let refuse = lock.withLock { () -> Bool in
            if poisoned == nil { poisoned = digest }
            return poisoned == digest
        }
        if refuse { throw EngineFailure("test: this digest is refused") }
        return try inner.sign(digest: digest)
    }
}

@Suite struct StagedSigningTests {
    @Test func aFailedSignatureInABatchRefusesOnlyItsOwnApproval() throws {
        let token = try ThrowawayToken.shared()
        let keeper = PoisonedSigner(try token.signer(label: "keeper"))
        let audit = try token.signer(label: "audit")
        let clock = ManualClock()
        let text = try StressPolicy.text(mode: .keeper).replacingOccurrences(
            of: "min_change_bps = 500", with: "min_change_bps = 0")
        let policy = try SigningPolicy.load(toml: text)
        let f = try EngineFixture(mode: .keeper)   // for a directory and its clean-up only
        defer { f.remove() }
        let engine = try DecisionEngine(databasePath: f.directory + "/staged.sqlite",
                                        keys: .init(keeper: keeper, audit: audit), clock: clock.function)
        try engine.state.installPolicy(.init(
            version: policy.version, sha256: PolicyDigest.sha256Hex(Array(text.utf8)), toml: text,
            installedAt: clock.now, effectiveAt: clock.now, signatures: "[]"))
        let results = ResultsBox()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            // Different weights, so that every transaction (and digest) differs whatever nonce it gets.
            let targets: [Proposal.Target] = [.init(adapter: DemoProposals.aaveUSDC, weightBps: 2_000 + 100 * i),
                                              .init(adapter: DemoProposals.aaveUSDT, weightBps: 3_000 - 100 * i)]
            results.append(engine.submit(.propose(DemoProposals.rebalance(
                id: "s\(i)", at: clock.now, targets: targets, reserveBps: 5_000))))
        }
        var nonces: [UInt64] = []
        var failures = 0
        for outcome in results.all {
            switch outcome {
            case .decision(let response, _):
                guard case .approved(.keeper(let signed)) = response.outcome else {
                    Issue.record("unexpected rejection \(response.reasons)")
                    continue
                }
                nonces.append(signed.nonce)
            case .failure(let error):
                #expect(error.code == .internal)
                failures += 1
            default:
                Issue.record("unexpected outcome \(outcome)")
            }
        }
        #expect(failures == 1)
        #expect(nonces.sorted() == Array(0..<7))
        let entries = try engine.audit.entries()
        #expect(entries.filter { $0.kind == "signing_failed" }.count == 1)
        #expect(try engine.state.allApprovals().map(\.nonce) == Array(0..<7))
        engine.checkpointNow()
        let report = try AuditVerifier(auditAddress: audit.address) {
            try? Secp256k1.recoverAddress(digest: $0, signature: $1)
        }.verify(engine.audit)
        #expect(report.isIntact)
    }
}
