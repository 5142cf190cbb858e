import BigInt
import Dispatch
import Ethereum
import SigningPolicy
import Wire

/// The decision pipeline of DESIGN.md: evaluate, and for an approval reserve the nonce and budgets, build the
/// transaction from the checked proposal, sign it in the HSM, verify, audit, commit; only then release it.
///
/// All writes go through one SQLite connection. Requests from many connections are group-committed: the first
/// caller to find no commit in progress becomes the committer for everything queued, runs each job inside one
/// `BEGIN IMMEDIATE` transaction (each job evaluated against the state the previous jobs left), commits once, and
/// only then hands every caller its answer. A failed commit answers every job in the batch with `INTERNAL` and
/// releases no signature.
public final class DecisionEngine: @unchecked Sendable {
    // @unchecked: all mutable state is touched only by the current committer, chosen under `queueLock`.

    /// What a job produced.
    public enum Outcome: Sendable {
        case decision(DecisionResponse, bundle: SafeBundle?)
        case status(StatusResponse)
        case recorded(AuditLog.Head)
        case failure(ErrorResponse)
    }

    /// Work the engine can do.
    public enum Job: Sendable {
        case propose(Proposal)
        case status
        case engageKillSwitch(reason: String, source: String)
        /// An audited event with no decision: a protocol error, a refused peer.
        case event(kind: String, body: JSONValue)
        /// Anchor the current head with a checkpoint signed by the audit key.
        case checkpoint
    }

    /// The signing keys and the clock, injected.
    public struct Keys: Sendable {
        public var keeper: any DigestSigner
        public var audit: any DigestSigner
        public init(keeper: any DigestSigner, audit: any DigestSigner) {
            self.keeper = keeper
            self.audit = audit
        }
    }

    public let database: Database
    public let audit: AuditLog
    public let state: ApplianceState
    let keys: Keys
    let clock: @Sendable () -> Timestamp
    let checkpointInterval: Int64
    private var policyCache: [String: SigningPolicy] = [:]

    /// The last approval and those in the rolling window, as booked (see `policyState`).
    private struct ApprovalWindow {
        var last: ApplianceState.Approval?
        var recent: [ApplianceState.Approval]
    }
    private var approvals: ApprovalWindow?

    private final class Pending: @unchecked Sendable {
        let job: Job
        var outcome: Outcome?
        let done = DispatchSemaphore(value: 0)
        init(_ job: Job) { self.job = job }
    }

    private let queueLock = Mutex()
    private var queue: [Pending] = []
    private var committing = false

    /// Opens the engine on the state database at `path`.
    public init(databasePath: String, keys: Keys, checkpointInterval: Int64 = 256,
                clock: @escaping @Sendable () -> Timestamp) throws {
        database = try Database(path: databasePath)
        audit = try AuditLog(database: database)
        state = try ApplianceState(database: database)
        self.keys = keys
        self.clock = clock
        self.checkpointInterval = checkpointInterval
    }

    // MARK: - Submitting work

    /// Runs `job` (group-committed with whatever else is queued) and returns its outcome once durable.
    public func submit(_ job: Job) -> Outcome {
        let pending = Pending(job)
        let leads: Bool = queueLock.withLock {
            queue.append(pending)
            if committing { return false }
            committing = true
            return true
        }
        if leads { drain() }
        pending.done.wait()
        return pending.outcome ?? .failure(ErrorResponse(code: .internal, message: "no outcome"))
    }

    private func drain() {
        while true {
            let batch: [Pending] = queueLock.withLock {
                let taken = queue
                queue.removeAll(keepingCapacity: true)
                if taken.isEmpty { committing = false }
                return taken
            }
            if batch.isEmpty { return }
            run(batch)
            for pending in batch { pending.done.signal() }
        }
    }

    /// Runs a batch in one transaction. Approvals are staged in order (evaluated, audited and booked, each seeing
    /// the ones before it), then all their digests are signed at once on up to two HSM sessions, then the
    /// transaction commits. If any signature fails, the whole batch is rolled back and run again one job at a
    /// time, so that only the approval whose signature failed is refused.
    private func run(_ batch: [Pending]) {
        do {
            try runStaged(batch)
        } catch is BatchSigningFailure {
            resetCaches()
            do { try runOneByOne(batch) } catch { fail(batch, error) }
        } catch {
            fail(batch, error)
        }
    }

    private func runStaged(_ batch: [Pending]) throws {
        try database.immediateTransaction {
            // Another process (the CLI: governance, kill switch) may have appended since the last batch.
            try audit.reloadHead()
            var staged: [(pending: Pending, approval: StagedApproval)] = []
            for pending in batch {
                switch try process(pending.job, signing: .deferred) {
                case .done(let outcome): pending.outcome = outcome
                case .awaitingSignatures(let approval): staged.append((pending, approval))
                }
            }
            if !staged.isEmpty {
                let signatures = try signAll(staged.flatMap(\.approval.digests))
                var offset = 0
                for (pending, approval) in staged {
                    let count = approval.digests.count
                    pending.outcome = approval.finish(Array(signatures[offset..<offset + count]))
                    offset += count
                }
            }
            try checkpointIfDue()
        }
    }

    private func runOneByOne(_ batch: [Pending]) throws {
        try database.immediateTransaction {
            try audit.reloadHead()
            for pending in batch {
                switch try process(pending.job, signing: .immediate) {
                case .done(let outcome): pending.outcome = outcome
                case .awaitingSignatures: throw EngineFailure("an approval was staged outside a staged batch")
                }
            }
            try checkpointIfDue()
        }
    }

    private func checkpointIfDue() throws {
        if audit.head.seq - (try audit.lastCheckpointSeq()) >= checkpointInterval {
            try audit.checkpoint(signer: keys.audit)
        }
    }

    private func resetCaches() {
        try? audit.reloadHead()
        approvals = nil
    }

    private func fail(_ batch: [Pending], _ error: any Error) {
        resetCaches()
        let message = "the decision could not be recorded durably (\(error)); nothing was signed or released"
        for pending in batch { pending.outcome = .failure(ErrorResponse(code: .internal, message: message)) }
    }

    /// Signs a checkpoint over the current head now (start-up, shutdown), through the queue like any job.
    @discardableResult
    public func checkpointNow() -> Outcome { submit(.checkpoint) }

    // MARK: - Processing (inside the transaction)

    /// The decision clock: the wall clock, but never earlier than the last recorded decision, so a clock that
    /// jumps backwards cannot shorten a cooldown or reopen a window.
    func decisionTime() throws -> Timestamp {
        let wall = clock()
        let last = Timestamp(seconds: Int64(try state.meta("last_decision_at") ?? "") ?? Int64.min)
        return max(wall, last)
    }

    /// When an approval's digests are signed.
    private enum Signing {
        /// Now, inside a savepoint of its own: a failed signature refuses that approval alone.
        case immediate
        /// Later, together with the rest of the batch (`runStaged`).
        case deferred
    }

    /// A job's result inside the batch: finished, or an approval staged and waiting for its signatures.
    private enum Step {
        case done(Outcome)
        case awaitingSignatures(StagedApproval)
    }

    private func process(_ job: Job, signing: Signing) throws -> Step {
        let now = try decisionTime()
        try state.setMeta("last_decision_at", String(now.seconds))
        switch job {
        case .propose(let proposal):
            return try decide(proposal, now: now, signing: signing)
        default:
            return .done(try process(job, now: now))
        }
    }

    private func process(_ job: Job, now: Timestamp) throws -> Outcome {
        switch job {
        case .propose:
            throw EngineFailure("proposals are decided by decide(_:now:signing:)")
        case .status:
            return .status(try status(now: now))
        case .engageKillSwitch(let reason, let source):
            try state.engageKillSwitch(reason: reason, source: source, at: now, audit: audit)
            return .status(try status(now: now))
        case .event(let kind, let body):
            return .recorded(try audit.append(at: now, kind: kind, body: body.serialized()))
        case .checkpoint:
            if try audit.lastCheckpointSeq() < audit.head.seq { try audit.checkpoint(signer: keys.audit) }
            return .recorded(audit.head)
        }
    }

    /// The policy in force at `now`, parsed once per digest: each decision reads only the digest of the policy in
    /// force (another process may have activated one), and the text only for a digest not seen before.
    func activePolicy(at now: Timestamp) throws -> (SigningPolicy, String) {
        guard let sha256 = try state.activePolicyDigest(at: now) else {
            throw EngineFailure("no policy is installed; run `appliance init --policy FILE`")
        }
        if let cached = policyCache[sha256] { return (cached, sha256) }
        guard let installed = try state.activePolicy(at: now) else {
            throw EngineFailure("no policy is installed; run `appliance init --policy FILE`")
        }
        let policy = try SigningPolicy.load(toml: installed.toml)
        policyCache[installed.sha256] = policy
        return (policy, installed.sha256)
    }

    /// The policy-state snapshot for a decision at `now`: the same reads as `ApplianceState.policyState`, with the
    /// last approval and the rolling window served from `approvals` (this engine books every approval, so the
    /// cache stays exact; it is dropped whenever a batch rolls back).
    func policyState(for proposal: Proposal, now: Timestamp) throws -> PolicyState {
        let windowStart = now - PolicyState.window
        if approvals == nil {
            approvals = ApprovalWindow(last: try state.lastApproval(), recent: try state.approvals(since: windowStart))
        }
        approvals!.recent.removeAll { $0.decidedAt <= windowStart }
        let last = approvals!.last
        return PolicyState(
            lastApproved: last.map {
                PolicyState.ApprovedAllocation(targets: $0.allocation.targets, reserveBps: $0.allocation.reserveBps)
            },
            lastRebalanceAt: last?.decidedAt,
            recentApprovals: approvals!.recent.map {
                PolicyState.Approval(decidedAt: $0.decidedAt, turnoverBps: $0.turnoverBps)
            },
            isDuplicateID: try state.hasSeen(proposalID: proposal.id),
            killSwitchEngaged: try state.killSwitch().engaged)
    }

    private func decide(_ proposal: Proposal, now: Timestamp, signing: Signing) throws -> Step {
        let (policy, sha) = try activePolicy(at: now)
        let snapshot = try policyState(for: proposal, now: now)
        let decision = PolicyEvaluator.evaluate(proposal: proposal, policy: policy, state: snapshot, now: now)
        let body: [JSONValue.Member] = [
            .init("proposal_id", .string(proposal.id)),
            .init("decision", .string(decision.approved ? "approved" : "rejected")),
            .init("reasons", .array(decision.reasons.map {
                .object(["code": .string($0.code.rawValue), "rule": .string($0.rule)])
            })),
            .init("policy_sha256", .string(sha)),
            .init("proposal", proposal.jsonValue),
        ]
        guard decision.approved else {
            let head = try audit.append(at: now, kind: "decision", body: JSONValue.object(body).serialized())
            if !snapshot.isDuplicateID { try state.recordSeen(proposalID: proposal.id, seq: head.seq) }
            return .done(.decision(DecisionResponse(
                proposalID: proposal.id, outcome: .rejected, reasons: decision.reasons,
                audit: AuditReference(seq: UInt64(head.seq), hash: head.hash)), bundle: nil))
        }
        if signing == .deferred {
            return .awaitingSignatures(
                try stage(proposal, decision: decision, policy: policy, sha: sha, now: now, body: body))
        }
        // Approved and signed now: everything up to the end of the savepoint happens or none of it does.
        try database.execute("SAVEPOINT approval")
        do {
            let staged = try stage(proposal, decision: decision, policy: policy, sha: sha, now: now, body: body)
            let outcome = staged.finish(try signAll(staged.digests))
            try database.execute("RELEASE approval")
            return .done(outcome)
        } catch {
            try database.execute("ROLLBACK TO approval")
            try database.execute("RELEASE approval")
            try audit.reloadHeadInTransaction()
            approvals = nil
            try audit.append(at: now, kind: "signing_failed", body: JSONValue.object([
                "proposal_id": .string(proposal.id), "error": .string(String(describing: error)),
            ]).serialized())
            return .done(.failure(ErrorResponse(
                code: .internal, message: "approved by policy but not signed: \(error); nothing was released")))
        }
    }

    /// Builds the transaction for an approved proposal from its checked fields, reserves its nonce, appends its
    /// audit entry and books its budgets, all inside the open transaction; returns the digests the HSM must sign
    /// and how to assemble the answer from their signatures. Nothing is released before the commit.
    private func stage(_ proposal: Proposal, decision: PolicyDecision, policy: SigningPolicy, sha: String,
                       now: Timestamp, body: [JSONValue.Member]) throws -> StagedApproval {
        let call = HubCall(proposal: proposal, policy: policy, decidedAt: now)
        let data = try call.calldata()
        let keeper = keys.keeper.address
        switch policy.mode {
        case .keeper:
            let nonce = try state.nextNonce(.keeper)
            let tx = EIP1559Transaction(
                chainID: policy.chainID, nonce: nonce, maxPriorityFeePerGas: proposal.gas.maxPriorityFeePerGas,
                maxFeePerGas: proposal.gas.maxFeePerGas, gasLimit: proposal.gas.gasLimit, to: policy.hub,
                value: 0, data: data, accessList: [])
            let signingHash = tx.signingHash
            let entry = body + [
                .init("nonce", .integer(nonce)), .init("signing_hash", .string(Hex.encode(signingHash))),
            ]
            let head = try audit.append(at: now, kind: "decision", body: JSONValue.object(entry).serialized())
            try book(proposal, decision: decision, now: now, seq: head.seq, nonceKind: .keeper, nonce: nonce,
                     payloadHash: signingHash)
            return StagedApproval(digests: [signingHash]) { signatures in
                let raw = tx.rawTransaction(signedWith: signatures[0])
                let signed = SignedTransaction.keeper(.init(
                    rawTransaction: raw, transactionHash: Keccak256.hash(raw), from: keeper, nonce: nonce))
                return .decision(DecisionResponse(
                    proposalID: proposal.id, outcome: .approved(signed), reasons: [],
                    audit: AuditReference(seq: UInt64(head.seq), hash: head.hash)), bundle: nil)
            }
        case .safe:
            guard let safe = policy.safeAddress else { throw EngineFailure("safe mode without [safe] address") }
            let previous = try state.lastApproval()?.allocation ?? .allReserve
            let nonce = try state.nextNonce(.safe)
            let safeTx = SafeTransaction(
                to: policy.hub, value: 0, data: data, operation: 0, safeTxGas: 0, baseGas: 0, gasPrice: 0,
                gasToken: .zero, refundReceiver: .zero, nonce: BigUInt(nonce))
            let safeTxHash = try safeTx.hash(chainID: policy.chainID, safe: safe)
            let entry = body + [
                .init("nonce", .integer(nonce)), .init("safe_tx_hash", .string(Hex.encode(safeTxHash))),
            ]
            let head = try audit.append(at: now, kind: "decision", body: JSONValue.object(entry).serialized())
            let members = SafeBundle.unsigned(
                chainID: policy.chainID, safe: safe, safeTransaction: safeTx, safeTxHash: safeTxHash,
                appliance: keeper, proposal: proposal, decidedAt: now, policySHA256: sha,
                rules: decision.rules, call: call, previous: previous, policy: policy, audit: head)
            try book(proposal, decision: decision, now: now, seq: head.seq, nonceKind: .safe, nonce: nonce,
                     payloadHash: safeTxHash)
            return StagedApproval(digests: [safeTxHash, SafeBundle.bundleDigest(.object(members))]) { signatures in
                let bundle = SafeBundle.signed(members, safeTxSignature: signatures[0],
                                               bundleSignature: signatures[1])
                return .decision(DecisionResponse(
                    proposalID: proposal.id, outcome: .approved(.safe(bundle: bundle.json)), reasons: [],
                    audit: AuditReference(seq: UInt64(head.seq), hash: head.hash)), bundle: bundle)
            }
        }
    }

    /// Signs `digests` with the keeper key, spread over up to two HSM sessions; any failure fails them all.
    private func signAll(_ digests: [[UInt8]]) throws -> [EthereumSignature] {
        let signer = keys.keeper
        if digests.count == 1 {
            do { return [try signer.sign(digest: digests[0])] } catch { throw BatchSigningFailure(underlying: error) }
        }
        let results = SignatureSlots(count: digests.count)
        let workers = min(2, digests.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: digests.count, by: workers) {
                results.set(i, Result { try signer.sign(digest: digests[i]) })
            }
        }
        return try results.all()
    }

    private func book(_ proposal: Proposal, decision: PolicyDecision, now: Timestamp, seq: Int64,
                      nonceKind: ApplianceState.NonceKind, nonce: UInt64, payloadHash: [UInt8]) throws {
        try state.recordSeen(proposalID: proposal.id, seq: seq)
        let approval = ApplianceState.Approval(
            seq: seq, proposalID: proposal.id, decidedAt: now, kind: proposal.kind,
            allocation: .init(targets: proposal.targets, reserveBps: proposal.reserveBps),
            turnoverBps: decision.turnoverBps, nonce: nonce, payloadHash: payloadHash)
        try state.recordApproval(approval, nonceKind: nonceKind)
        approvals?.last = approval
        approvals?.recent.append(approval)
    }

    func status(now: Timestamp) throws -> StatusResponse {
        let (policy, sha) = try activePolicy(at: now)
        let kill = try state.killSwitch()
        let recent = try state.approvals(since: now - PolicyState.window).filter { $0.decidedAt > now - PolicyState.window }
        let mode: StatusResponse.Mode = policy.mode == .keeper ? .keeper : .safe
        return StatusResponse(
            policySHA256: sha, mode: mode, signerAddress: keys.keeper.address,
            killSwitch: KillSwitchState(engaged: kill.engaged, reason: kill.reason, since: kill.since),
            nextNonce: try state.nextNonce(policy.mode == .keeper ? .keeper : .safe),
            lastRebalanceAt: try state.lastApproval()?.decidedAt,
            rebalances24h: recent.count, turnover24hBps: recent.reduce(0) { $0 + $1.turnoverBps },
            audit: AuditReference(seq: UInt64(audit.head.seq), hash: audit.head.hash))
    }
}

/// An engine precondition that does not hold (no policy installed, a Safe policy without a Safe).
public struct EngineFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// An approval staged in the open transaction: the digests to sign and how to build its answer from the
/// signatures (in the same order).
struct StagedApproval {
    let digests: [[UInt8]]
    let finish: ([EthereumSignature]) -> DecisionEngine.Outcome
}

/// A signature in a staged batch failed: the batch is rolled back and decided again one job at a time.
struct BatchSigningFailure: Error, CustomStringConvertible {
    let underlying: any Error
    var description: String { String(describing: underlying) }
}

/// Signature slots written by several threads, each slot once, read after all of them finished.
private final class SignatureSlots: @unchecked Sendable {
    // @unchecked: the lock guards the slots; concurrentPerform joins before they are read.
    private let lock = Mutex()
    private var slots: [Result<EthereumSignature, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: Result<EthereumSignature, any Error>) { lock.withLock { slots[i] = r } }

    func all() throws -> [EthereumSignature] {
        try lock.withLock { slots }.map { slot in
            guard let slot else { throw BatchSigningFailure(underlying: EngineFailure("a signature was not made")) }
            do { return try slot.get() } catch { throw BatchSigningFailure(underlying: error) }
        }
    }
}
