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
        case releaseKillSwitch(approvers: [Address], policySHA256: String, source: String)
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

    private func run(_ batch: [Pending]) {
        do {
            try database.immediateTransaction {
                // Another process (the CLI: governance, kill switch) may have appended since the last batch.
                try audit.reloadHead()
                for pending in batch { pending.outcome = try process(pending.job) }
                if audit.head.seq - (try audit.lastCheckpointSeq()) >= checkpointInterval {
                    try audit.checkpoint(signer: keys.audit)
                }
            }
        } catch {
            try? audit.reloadHead()
            approvals = nil
            let message = "the decision could not be recorded durably (\(error)); nothing was signed or released"
            for pending in batch { pending.outcome = .failure(ErrorResponse(code: .internal, message: message)) }
        }
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

    private func process(_ job: Job) throws -> Outcome {
        let now = try decisionTime()
        try state.setMeta("last_decision_at", String(now.seconds))
        switch job {
        case .propose(let proposal):
            return try decide(proposal, now: now)
        case .status:
            return .status(try status(now: now))
        case .engageKillSwitch(let reason, let source):
            var current = try state.killSwitch()
            if !current.engaged {
                current = ApplianceState.KillSwitch(engaged: true, reason: reason, since: now)
                try state.setKillSwitch(current)
            }
            try audit.append(at: now, kind: "kill_switch_engaged", body: JSONValue.object([
                "reason": .string(reason), "source": .string(source),
                "already_engaged": .bool(current.reason != reason || current.since != now),
            ]).serialized())
            return .status(try status(now: now))
        case .releaseKillSwitch(let approvers, let sha, let source):
            try state.setKillSwitch(.released)
            try audit.append(at: now, kind: "kill_switch_released", body: JSONValue.object([
                "approvers": .array(approvers.map { .string($0.checksummed) }),
                "policy_sha256": .string(sha), "source": .string(source),
            ]).serialized())
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

    private func decide(_ proposal: Proposal, now: Timestamp) throws -> Outcome {
        let (policy, sha) = try activePolicy(at: now)
        let snapshot = try policyState(for: proposal, now: now)
        let decision = PolicyEvaluator.evaluate(proposal: proposal, policy: policy, state: snapshot, now: now)
        var body: [JSONValue.Member] = [
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
            return .decision(DecisionResponse(proposalID: proposal.id, outcome: .rejected, reasons: decision.reasons,
                                              audit: AuditReference(seq: UInt64(head.seq), hash: head.hash)),
                             bundle: nil)
        }
        // Approved: everything from here to the end of the savepoint happens or none of it does.
        try database.execute("SAVEPOINT approval")
        do {
            let outcome = try sign(proposal, decision: decision, policy: policy, sha: sha, now: now, body: &body)
            try database.execute("RELEASE approval")
            return outcome
        } catch {
            try database.execute("ROLLBACK TO approval")
            try database.execute("RELEASE approval")
            try audit.reloadHeadInTransaction()
            approvals = nil
            try audit.append(at: now, kind: "signing_failed", body: JSONValue.object([
                "proposal_id": .string(proposal.id), "error": .string(String(describing: error)),
            ]).serialized())
            return .failure(ErrorResponse(
                code: .internal, message: "approved by policy but not signed: \(error); nothing was released"))
        }
    }

    private func sign(_ proposal: Proposal, decision: PolicyDecision, policy: SigningPolicy, sha: String,
                      now: Timestamp, body: inout [JSONValue.Member]) throws -> Outcome {
        let call = HubCall(proposal: proposal, policy: policy, decidedAt: now)
        let data = try call.calldata()
        switch policy.mode {
        case .keeper:
            let nonce = try state.nextNonce(.keeper)
            let tx = EIP1559Transaction(
                chainID: policy.chainID, nonce: nonce, maxPriorityFeePerGas: proposal.gas.maxPriorityFeePerGas,
                maxFeePerGas: proposal.gas.maxFeePerGas, gasLimit: proposal.gas.gasLimit, to: policy.hub,
                value: 0, data: data, accessList: [])
            let signingHash = tx.signingHash
            let signature = try keys.keeper.sign(digest: signingHash)
            let raw = tx.rawTransaction(signedWith: signature)
            let hash = Keccak256.hash(raw)  // the transaction hash, without encoding the transaction again
            body += [
                .init("nonce", .integer(nonce)),
                .init("signing_hash", .string(Hex.encode(signingHash))),
                .init("transaction_hash", .string(Hex.encode(hash))),
            ]
            let head = try audit.append(at: now, kind: "decision", body: JSONValue.object(body).serialized())
            try book(proposal, decision: decision, now: now, seq: head.seq, nonceKind: .keeper, nonce: nonce,
                     payloadHash: signingHash)
            let signed = SignedTransaction.keeper(.init(rawTransaction: raw, transactionHash: hash,
                                                        from: keys.keeper.address, nonce: nonce))
            return .decision(DecisionResponse(proposalID: proposal.id, outcome: .approved(signed), reasons: [],
                                              audit: AuditReference(seq: UInt64(head.seq), hash: head.hash)),
                             bundle: nil)
        case .safe:
            guard let safe = policy.safeAddress else { throw EngineFailure("safe mode without [safe] address") }
            let previous = try state.lastApproval()?.allocation ?? .allReserve
            let nonce = try state.nextNonce(.safe)
            let safeTx = SafeTransaction(
                to: policy.hub, value: 0, data: data, operation: 0, safeTxGas: 0, baseGas: 0, gasPrice: 0,
                gasToken: .zero, refundReceiver: .zero, nonce: BigUInt(nonce))
            let safeTxHash = try safeTx.hash(chainID: policy.chainID, safe: safe)
            body += [.init("nonce", .integer(nonce)), .init("safe_tx_hash", .string(Hex.encode(safeTxHash)))]
            let head = try audit.append(at: now, kind: "decision", body: JSONValue.object(body).serialized())
            let members = SafeBundle.unsigned(
                chainID: policy.chainID, safe: safe, safeTransaction: safeTx, safeTxHash: safeTxHash,
                appliance: keys.keeper.address, proposal: proposal, decidedAt: now, policySHA256: sha,
                rules: decision.rules, call: call, previous: previous, policy: policy, audit: head)
            let bundleDigest = SafeBundle.bundleDigest(.object(members))
            let (txSignature, bundleSignature) = try signConcurrently(safeTxHash, bundleDigest)
            try book(proposal, decision: decision, now: now, seq: head.seq, nonceKind: .safe, nonce: nonce,
                     payloadHash: safeTxHash)
            let bundle = SafeBundle.signed(members, safeTxSignature: txSignature, bundleSignature: bundleSignature)
            return .decision(DecisionResponse(proposalID: proposal.id, outcome: .approved(.safe(bundle: bundle.json)),
                                              reasons: [],
                                              audit: AuditReference(seq: UInt64(head.seq), hash: head.hash)),
                             bundle: bundle)
        }
    }

    /// Signs two digests with the keeper key on two HSM sessions at once.
    private func signConcurrently(_ a: [UInt8], _ b: [UInt8]) throws -> (EthereumSignature, EthereumSignature) {
        let results = UnsafeResults()
        let signer = keys.keeper
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let r = Result { try signer.sign(digest: i == 0 ? a : b) }
            results.set(i, r)
        }
        return (try results.get(0), try results.get(1))
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

/// Two result slots written by two threads, each once, read after both finished.
private final class UnsafeResults: @unchecked Sendable {
    // @unchecked: the lock guards the slots; concurrentPerform joins before they are read.
    private let lock = Mutex()
    private var slots: [Result<EthereumSignature, any Error>?] = [nil, nil]
    func set(_ i: Int, _ r: Result<EthereumSignature, any Error>) { lock.withLock { slots[i] = r } }
    func get(_ i: Int) throws -> EthereumSignature {
        guard let r = lock.withLock({ slots[i] }) else { throw EngineFailure("a signature was not produced") }
        return try r.get()
    }
}
