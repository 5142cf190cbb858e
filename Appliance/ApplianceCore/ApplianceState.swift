import Ethereum
import SigningPolicy
import Wire

/// The appliance's durable state beside the audit log, in the same SQLite database so one transaction covers a
/// decision, its audit entry and every budget it books.
///
/// Tables: `meta` (nonces, kill switch), `proposal_ids` (every id ever seen, whatever its outcome), `approvals`
/// (approved proposals: targets, turnover, nonce and the signed payload's hash), `policies` (policy history).
public final class ApplianceState {
    /// The last approved allocation: adapter weights and the reserve, in basis points.
    public struct Allocation: Equatable, Sendable {
        public var targets: [Proposal.Target]
        public var reserveBps: Int
        /// Before the first approval everything counts as reserve.
        public static let allReserve = Allocation(targets: [], reserveBps: 10_000)
    }

    /// One approved decision, as the rolling windows need it.
    public struct Approval: Equatable, Sendable {
        public var seq: Int64
        public var proposalID: String
        public var decidedAt: Timestamp
        public var kind: Proposal.Kind
        public var allocation: Allocation
        public var turnoverBps: Int
        public var nonce: UInt64
        public var payloadHash: [UInt8]
    }

    /// The kill switch.
    public struct KillSwitch: Equatable, Sendable {
        public var engaged: Bool
        public var reason: String?
        public var since: Timestamp?
        /// The audit entry that engaged it: names the engagement in the release message, so a release signed for
        /// one engagement cannot release another, even one that began in the same second.
        public var seq: Int64?

        public init(engaged: Bool, reason: String?, since: Timestamp?, seq: Int64? = nil) {
            self.engaged = engaged
            self.reason = reason
            self.since = since
            self.seq = seq
        }

        public static let released = KillSwitch(engaged: false, reason: nil, since: nil)
    }

    /// Which nonce sequence a payload uses.
    public enum NonceKind: String, Sendable {
        case keeper = "keeper_nonce"
        case safe = "safe_nonce"
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS proposal_ids (id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS approvals (
            seq INTEGER PRIMARY KEY,
            proposal_id TEXT NOT NULL UNIQUE,
            decided_at INTEGER NOT NULL,
            kind TEXT NOT NULL,
            targets TEXT NOT NULL,
            reserve_bps INTEGER NOT NULL,
            turnover_bps INTEGER NOT NULL,
            nonce_kind TEXT NOT NULL,
            nonce INTEGER NOT NULL,
            payload_hash BLOB NOT NULL,
            UNIQUE (nonce_kind, nonce)
        );
        CREATE INDEX IF NOT EXISTS approvals_decided_at ON approvals (decided_at);
        CREATE TABLE IF NOT EXISTS policies (
            version INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL,
            toml TEXT NOT NULL,
            installed_at INTEGER NOT NULL,
            effective_at INTEGER NOT NULL,
            signatures TEXT NOT NULL
        );
        """

    public let database: Database
    private let seenID: Statement
    private let insertID: Statement
    private let insertApproval: Statement
    private let readMeta: Statement
    private let writeMeta: Statement
    private let readActiveDigest: Statement

    public init(database: Database) throws {
        self.database = database
        try database.execute(Self.schema)
        seenID = try database.prepare("SELECT 1 FROM proposal_ids WHERE id = ?")
        insertID = try database.prepare("INSERT OR IGNORE INTO proposal_ids (id, seq) VALUES (?, ?)")
        insertApproval = try database.prepare("""
            INSERT INTO approvals (seq, proposal_id, decided_at, kind, targets, reserve_bps, turnover_bps,
                                   nonce_kind, nonce, payload_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        readMeta = try database.prepare("SELECT value FROM meta WHERE key = ?")
        writeMeta = try database.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")
        readActiveDigest = try database.prepare(
            "SELECT sha256 FROM policies WHERE effective_at <= ? ORDER BY version DESC LIMIT 1")
    }

    // MARK: - Proposal ids

    public func hasSeen(proposalID: String) throws -> Bool {
        try seenID.bind([.text(proposalID)])
        defer { seenID.reset() }
        return try seenID.step()
    }

    /// Records an id as seen (by the audit entry `seq` that decided it). Idempotent.
    public func recordSeen(proposalID: String, seq: Int64) throws {
        try insertID.bind([.text(proposalID), .integer(seq)]).run()
    }

    // MARK: - Nonces

    public func nextNonce(_ kind: NonceKind) throws -> UInt64 {
        UInt64(try meta(kind.rawValue) ?? "0") ?? 0
    }

    public func setNextNonce(_ kind: NonceKind, _ value: UInt64) throws {
        try setMeta(kind.rawValue, String(value))
    }

    // MARK: - Approvals

    /// Books an approval: its nonce (unique per sequence: a second payload under one nonce fails here), its
    /// targets and turnover, and advances the nonce.
    public func recordApproval(_ approval: Approval, nonceKind: NonceKind) throws {
        try insertApproval.bind([
            .integer(approval.seq), .text(approval.proposalID), .integer(approval.decidedAt.seconds),
            .text(approval.kind.rawValue), .text(Self.encode(approval.allocation.targets)),
            .integer(Int64(approval.allocation.reserveBps)), .integer(Int64(approval.turnoverBps)),
            .text(nonceKind.rawValue), .integer(Int64(bitPattern: approval.nonce)), .blob(approval.payloadHash),
        ]).run()
        try setNextNonce(nonceKind, approval.nonce + 1)
    }

    /// The newest approval, if any.
    public func lastApproval() throws -> Approval? {
        try approvals(where: "1 = 1 ORDER BY seq DESC LIMIT 1", []).first
    }

    /// Approvals decided at or after `since`, oldest first.
    public func approvals(since: Timestamp) throws -> [Approval] {
        try approvals(where: "decided_at >= ? ORDER BY seq", [.integer(since.seconds)])
    }

    /// Every approval, oldest first.
    public func allApprovals() throws -> [Approval] { try approvals(where: "1 = 1 ORDER BY seq", []) }

    private func approvals(where clause: String, _ values: [Statement.Value]) throws -> [Approval] {
        let stmt = try database.prepare("""
            SELECT seq, proposal_id, decided_at, kind, targets, reserve_bps, turnover_bps, nonce, payload_hash
            FROM approvals WHERE \(clause)
            """)
        try stmt.bind(values)
        var out: [Approval] = []
        while try stmt.step() {
            out.append(Approval(
                seq: stmt.int64(0), proposalID: stmt.text(1), decidedAt: Timestamp(seconds: stmt.int64(2)),
                kind: Proposal.Kind(rawValue: stmt.text(3)) ?? .rebalance,
                allocation: Allocation(targets: try Self.decode(stmt.text(4)), reserveBps: Int(stmt.int64(5))),
                turnoverBps: Int(stmt.int64(6)), nonce: UInt64(bitPattern: stmt.int64(7)),
                payloadHash: stmt.blob(8)))
        }
        return out
    }

    // MARK: - Kill switch

    public func killSwitch() throws -> KillSwitch {
        guard try meta("kill_switch.engaged") == "1" else { return .released }
        return KillSwitch(engaged: true, reason: try meta("kill_switch.reason"),
                          since: try meta("kill_switch.since").flatMap { Int64($0) }.map(Timestamp.init(seconds:)),
                          seq: try meta("kill_switch.seq").flatMap { Int64($0) })
    }

    /// Engages the kill switch and audits it (`kill_switch_engaged`). Engaging it again keeps the first
    /// engagement's time, reason and audit entry, and is audited as a repeat. Call inside a transaction.
    @discardableResult
    public func engageKillSwitch(reason: String, source: String, at now: Timestamp, audit: AuditLog) throws
        -> KillSwitch
    {
        let current = try killSwitch()
        let head = try audit.append(at: now, kind: "kill_switch_engaged", body: JSONValue.object([
            "reason": .string(reason), "source": .string(source), "already_engaged": .bool(current.engaged),
        ]).serialized())
        if current.engaged { return current }
        let engaged = KillSwitch(engaged: true, reason: reason, since: now, seq: head.seq)
        try setKillSwitch(engaged)
        return engaged
    }

    public func setKillSwitch(_ state: KillSwitch) throws {
        try setMeta("kill_switch.engaged", state.engaged ? "1" : "0")
        try setMeta("kill_switch.reason", state.reason ?? "")
        try setMeta("kill_switch.since", state.since.map { String($0.seconds) } ?? "")
        try setMeta("kill_switch.seq", state.seq.map { String($0) } ?? "")
    }

    // MARK: - Meta

    public func meta(_ key: String) throws -> String? {
        try readMeta.bind([.text(key)])
        defer { readMeta.reset() }
        return try readMeta.step() ? readMeta.text(0) : nil
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try writeMeta.bind([.text(key), .text(value)]).run()
    }

    // MARK: - Encoding of targets: "0xaddr:bps,0xaddr:bps"

    static func encode(_ targets: [Proposal.Target]) -> String {
        targets.map { "\(Hex.encode($0.adapter.bytes)):\($0.weightBps)" }.joined(separator: ",")
    }

    static func decode(_ text: String) throws -> [Proposal.Target] {
        guard !text.isEmpty else { return [] }
        return try text.split(separator: ",").map { part in
            let pieces = part.split(separator: ":")
            guard pieces.count == 2, let bps = Int(pieces[1]) else {
                throw Database.Failure(code: -1, message: "corrupt targets column: \(part)")
            }
            return Proposal.Target(adapter: try Address(hex: pieces[0]), weightBps: bps)
        }
    }
}

// MARK: - Policy history

extension ApplianceState {
    /// One installed policy: its exact text, digest, when it was installed and when it takes effect.
    public struct InstalledPolicy: Equatable, Sendable {
        public var version: Int
        public var sha256: String
        public var toml: String
        public var installedAt: Timestamp
        public var effectiveAt: Timestamp
        /// The governance signatures that activated it, as stored JSON (empty for the operator's first policy).
        public var signatures: String

        public init(version: Int, sha256: String, toml: String, installedAt: Timestamp, effectiveAt: Timestamp,
                    signatures: String) {
            self.version = version
            self.sha256 = sha256
            self.toml = toml
            self.installedAt = installedAt
            self.effectiveAt = effectiveAt
            self.signatures = signatures
        }
    }

    public func installPolicy(_ policy: InstalledPolicy) throws {
        try database.prepare("""
            INSERT INTO policies (version, sha256, toml, installed_at, effective_at, signatures)
            VALUES (?, ?, ?, ?, ?, ?)
            """).bind([
            .integer(Int64(policy.version)), .text(policy.sha256), .text(policy.toml),
            .integer(policy.installedAt.seconds), .integer(policy.effectiveAt.seconds), .text(policy.signatures),
        ]).run()
    }

    /// The policy in force at `now`: the highest version whose effective time has come.
    public func activePolicy(at now: Timestamp) throws -> InstalledPolicy? {
        try policies(where: "effective_at <= ? ORDER BY version DESC LIMIT 1", [.integer(now.seconds)]).first
    }

    /// The sha256 of the policy in force at `now` (the row `activePolicy(at:)` returns), without reading its text.
    public func activePolicyDigest(at now: Timestamp) throws -> String? {
        try readActiveDigest.bind([.integer(now.seconds)])
        defer { readActiveDigest.reset() }
        return try readActiveDigest.step() ? readActiveDigest.text(0) : nil
    }

    /// The highest installed version, in force or still waiting for its delay.
    public func latestPolicy() throws -> InstalledPolicy? {
        try policies(where: "1 = 1 ORDER BY version DESC LIMIT 1", []).first
    }

    /// Every installed policy, oldest first.
    public func policyHistory() throws -> [InstalledPolicy] { try policies(where: "1 = 1 ORDER BY version", []) }

    private func policies(where clause: String, _ values: [Statement.Value]) throws -> [InstalledPolicy] {
        let stmt = try database.prepare("""
            SELECT version, sha256, toml, installed_at, effective_at, signatures FROM policies WHERE \(clause)
            """)
        try stmt.bind(values)
        var out: [InstalledPolicy] = []
        while try stmt.step() {
            out.append(InstalledPolicy(
                version: Int(stmt.int64(0)), sha256: stmt.text(1), toml: stmt.text(2),
                installedAt: Timestamp(seconds: stmt.int64(3)), effectiveAt: Timestamp(seconds: stmt.int64(4)),
                signatures: stmt.text(5)))
        }
        return out
    }
}
