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
/// only then hands every caller its answer. Inside a batch, approvals are staged in order (nonce reserved, audit
/// entry appended, budgets booked) and their digests are then signed together on up to two HSM sessions
/// (`DecisionEngine+Approval.swift`). A failed commit answers every job in the batch with `INTERNAL` and releases
/// no signature.
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
        return try state.policyState(for: proposal, lastApproval: approvals!.last,
                                     recentApprovals: approvals!.recent)
    }

    /// Keeps the cached window in step with an approval just booked in the open transaction.
    func noteBooked(_ approval: ApplianceState.Approval) {
        approvals?.last = approval
        approvals?.recent.append(approval)
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
