import BigInt
import Dispatch
import Ethereum
import SigningPolicy
import Wire

// Approvals: building the transaction from the checked proposal, booking it, and signing in the HSM.
extension DecisionEngine {
    /// Builds the transaction for an approved proposal from its checked fields, reserves its nonce, appends its
    /// audit entry and books its budgets, all inside the open transaction; returns the digests the HSM must sign
    /// and how to assemble the answer from their signatures. Nothing is released before the commit.
    func stage(_ proposal: Proposal, decision: PolicyDecision, policy: SigningPolicy, sha: String,
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
    func signAll(_ digests: [[UInt8]]) throws -> [EthereumSignature] {
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

    func book(_ proposal: Proposal, decision: PolicyDecision, now: Timestamp, seq: Int64,
                      nonceKind: ApplianceState.NonceKind, nonce: UInt64, payloadHash: [UInt8]) throws {
        try state.recordSeen(proposalID: proposal.id, seq: seq)
        let approval = ApplianceState.Approval(
            seq: seq, proposalID: proposal.id, decidedAt: now, kind: proposal.kind,
            allocation: .init(targets: proposal.targets, reserveBps: proposal.reserveBps),
            turnoverBps: decision.turnoverBps, nonce: nonce, payloadHash: payloadHash)
        try state.recordApproval(approval, nonceKind: nonceKind)
        noteBooked(approval)
    }
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
