import Ethereum

/// Checks an audit log end to end: contiguous sequence numbers, every hash recomputed and linked, every checkpoint
/// matching its entry and signed by the audit key, and no checkpoint beyond the last entry (truncation).
public struct AuditVerifier {
    /// What verification found.
    public struct Report: Equatable, Sendable {
        /// The first problem, if any: the entry (or checkpoint) sequence number and what is wrong with it.
        public struct Problem: Equatable, Sendable {
            public var seq: Int64
            public var message: String
        }

        public var entries: Int64 = 0
        public var checkpoints: Int = 0
        public var lastCheckpointSeq: Int64 = 0
        public var head: AuditLog.Head = .genesis
        public var problem: Problem?
        /// Entries after the newest checkpoint: chained, but not yet anchored by a signature.
        public var uncheckpointedTail: Int64 { head.seq - lastCheckpointSeq }
        public var isIntact: Bool { problem == nil }
    }

    /// Recovers the signer of a digest (libsecp256k1 in the appliance; injected so this type stays testable).
    public typealias Recover = (_ digest: [UInt8], _ signature: EthereumSignature) -> Address?

    public let auditAddress: Address
    public let recover: Recover

    public init(auditAddress: Address, recover: @escaping Recover) {
        self.auditAddress = auditAddress
        self.recover = recover
    }

    /// Verifies the whole log, reading it in pages.
    public func verify(_ log: AuditLog, pageSize: Int = 10_000) throws -> Report {
        var report = Report()
        let checkpoints = try log.checkpoints()
        var checkpointIndex = 0
        var previous = AuditLog.Head.genesis
        report.checkpoints = checkpoints.count

        func fail(_ seq: Int64, _ message: String) -> Report {
            var r = report
            r.problem = Report.Problem(seq: seq, message: message)
            return r
        }

        while true {
            let page = try log.entries(after: previous.seq, limit: pageSize)
            if page.isEmpty { break }
            for entry in page {
                let expectedSeq = previous.seq + 1
                if entry.seq != expectedSeq {
                    return fail(expectedSeq, "entry \(expectedSeq) is missing (the next entry present is \(entry.seq))")
                }
                if entry.previousHash != previous.hash {
                    return fail(entry.seq, "entry \(entry.seq) does not link to entry \(previous.seq)'s hash")
                }
                let recomputed = AuditLog.entryHash(previous: previous.hash, seq: entry.seq, at: entry.at,
                                                    kind: entry.kind, body: entry.body)
                if recomputed != entry.hash {
                    return fail(entry.seq, "entry \(entry.seq) was altered: its contents do not match its hash")
                }
                while checkpointIndex < checkpoints.count, checkpoints[checkpointIndex].seq <= entry.seq {
                    let checkpoint = checkpoints[checkpointIndex]
                    if checkpoint.seq < entry.seq {
                        return fail(checkpoint.seq, "checkpoint \(checkpoint.seq) names an entry that is missing")
                    }
                    if checkpoint.hash != entry.hash {
                        return fail(entry.seq, "entry \(entry.seq) does not match the hash its signed checkpoint holds")
                    }
                    let digest = AuditLog.checkpointDigest(seq: checkpoint.seq, hash: checkpoint.hash,
                                                           previousCheckpoint: report.lastCheckpointSeq)
                    guard recover(digest, checkpoint.signature) == auditAddress else {
                        return fail(checkpoint.seq,
                                    "checkpoint \(checkpoint.seq) is not signed by the audit key \(auditAddress) "
                                        + "as following checkpoint \(report.lastCheckpointSeq) (forged, or a "
                                        + "checkpoint before it was deleted)")
                    }
                    report.lastCheckpointSeq = checkpoint.seq
                    checkpointIndex += 1
                }
                previous = AuditLog.Head(seq: entry.seq, hash: entry.hash)
                report.entries += 1
                report.head = previous
            }
        }
        if checkpointIndex < checkpoints.count {
            let orphan = checkpoints[checkpointIndex]
            return fail(previous.seq + 1,
                        "the log was truncated: checkpoint \(orphan.seq) is signed but the log ends at \(previous.seq)")
        }
        return report
    }
}
