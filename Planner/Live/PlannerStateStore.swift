import Ethereum
import Foundation
import GRDB
import SigningPolicy

/// The planner's own state in SQLite (`--state DIR/planner.sqlite`): every cycle, every proposal it submitted
/// with the appliance's answer, the back-off it owes the appliance, and its kill-switch engagements.
///
/// A proposal is written before it is sent and its decision after, so a crash in between leaves a record with
/// no decision rather than nothing: the planner never loses track of what it sent.
public final class PlannerStateStore: @unchecked Sendable {
    /// A proposal the planner sent and what became of it.
    public struct SubmittedProposal: Hashable, Sendable {
        public var id: String
        public var kind: Proposal.Kind
        public var submittedAt: Timestamp
        public var decision: String?
        public var reasonCodes: [String]
        public var targets: [Proposal.Target]
        public var reserveBps: Int
    }

    /// What the planner must wait for before it submits a proposal of a kind again.
    public struct Backoff: Hashable, Sendable {
        public var until: Timestamp
        public var reason: String
        /// Rejections in a row for this kind (reset by an approval).
        public var consecutive: Int
    }

    public let path: String
    private let queue: DatabaseQueue

    /// Opens (creating if needed) the store in `directory`.
    public init(directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            path = directory + "/planner.sqlite"
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch {
            throw LiveError(.state, "cannot open the planner state in \(directory): \(error)")
        }
    }

    /// Starts a cycle; returns its number.
    public func beginCycle(startedAt: Timestamp, marketTime: Timestamp) throws -> Int64 {
        try write { db in
            try db.execute(sql: "INSERT INTO cycles (started_at, market_time, action) VALUES (?, ?, 'running')",
                           arguments: [startedAt.seconds, marketTime.seconds])
            return db.lastInsertedRowID
        }
    }

    /// Ends a cycle with what it did and its report (JSON).
    public func finishCycle(_ id: Int64, finishedAt: Timestamp, action: String, report: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE cycles SET finished_at = ?, action = ?, report = ? WHERE id = ?",
                           arguments: [finishedAt.seconds, action, report, id])
        }
    }

    /// Records a proposal about to be sent (before it leaves the planner).
    public func recordSubmission(_ proposal: Proposal, cycle: Int64, body: String, at: Timestamp) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO proposals (id, cycle_id, kind, submitted_at, body, targets, reserve_bps)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [proposal.id, cycle, proposal.kind.rawValue, at.seconds, body,
                                 Self.encode(proposal.targets), proposal.reserveBps])
        }
    }

    /// Records the appliance's decision on a proposal.
    public func recordDecision(proposalID: String, decision: String, reasonCodes: [String], auditSeq: UInt64?,
                               auditHash: String?, transactionHash: String?, bundlePath: String?,
                               at: Timestamp) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE proposals SET decision = ?, reasons = ?, audit_seq = ?, audit_hash = ?, tx_hash = ?,
                bundle_path = ?, decided_at = ? WHERE id = ?
                """, arguments: [decision, reasonCodes.joined(separator: ","), auditSeq.map { Int64($0) },
                                 auditHash, transactionHash, bundlePath, at.seconds, proposalID])
        }
    }

    /// Records that the planner engaged the appliance's kill switch.
    public func recordKillSwitchEngagement(at: Timestamp, reason: String, cycle: Int64) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO kill_switch_engagements (at, reason, cycle_id) VALUES (?, ?, ?)",
                           arguments: [at.seconds, reason, cycle])
        }
    }

    /// The back-off for proposals of `kind`, if one was ever recorded.
    public func backoff(for kind: Proposal.Kind) throws -> Backoff? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT until, reason, consecutive FROM backoffs WHERE kind = ?",
                                             arguments: [kind.rawValue]) else { return nil }
            return Backoff(until: Timestamp(seconds: row["until"]), reason: row["reason"],
                           consecutive: row["consecutive"])
        }
    }

    /// Sets (or, with nil, clears) the back-off for proposals of `kind`.
    public func setBackoff(_ backoff: Backoff?, for kind: Proposal.Kind) throws {
        try write { db in
            if let backoff {
                try db.execute(sql: """
                    INSERT INTO backoffs (kind, until, reason, consecutive) VALUES (?, ?, ?, ?)
                    ON CONFLICT(kind) DO UPDATE SET until = excluded.until, reason = excluded.reason,
                    consecutive = excluded.consecutive
                    """, arguments: [kind.rawValue, backoff.until.seconds, backoff.reason, backoff.consecutive])
            } else {
                try db.execute(sql: "DELETE FROM backoffs WHERE kind = ?", arguments: [kind.rawValue])
            }
        }
    }

    /// The last approved proposal, nil before the first approval.
    public func lastApproved() throws -> SubmittedProposal? {
        try proposals(where: "decision = 'approved'", limit: 1).first
    }

    /// The latest proposals, newest first.
    public func proposals(limit: Int = 100) throws -> [SubmittedProposal] {
        try proposals(where: "1", limit: limit)
    }

    /// Cycles recorded so far.
    public func cycleCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cycles") ?? 0 }
    }

    /// Kill-switch engagements recorded so far.
    public func killSwitchEngagementCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM kill_switch_engagements") ?? 0 }
    }

    private func proposals(where condition: String, limit: Int) throws -> [SubmittedProposal] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, kind, submitted_at, decision, reasons, targets, reserve_bps FROM proposals
                WHERE \(condition) ORDER BY submitted_at DESC, rowid DESC LIMIT ?
                """, arguments: [limit]).map { row in
                let codes: String? = row["reasons"]
                return SubmittedProposal(
                    id: row["id"], kind: Proposal.Kind(rawValue: row["kind"]) ?? .rebalance,
                    submittedAt: Timestamp(seconds: row["submitted_at"]), decision: row["decision"],
                    reasonCodes: (codes ?? "").split(separator: ",").map(String.init),
                    targets: Self.decode(row["targets"]), reserveBps: row["reserve_bps"])
            }
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.write(body) } catch let error as LiveError { throw error } catch {
            throw LiveError(.state, "cannot write the planner state \(path): \(error)")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch {
            throw LiveError(.state, "cannot read the planner state \(path): \(error)")
        }
    }

    /// Targets as `0x…=bps` pairs separated by commas (addresses checksummed).
    static func encode(_ targets: [Proposal.Target]) -> String {
        targets.map { "\($0.adapter.checksummed)=\($0.weightBps)" }.joined(separator: ",")
    }

    static func decode(_ text: String?) -> [Proposal.Target] {
        (text ?? "").split(separator: ",").compactMap { pair in
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let address = try? Address(hex: String(parts[0])),
                  let weight = Int(parts[1]) else { return nil }
            return Proposal.Target(adapter: address, weightBps: weight)
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE cycles (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, started_at INTEGER NOT NULL, finished_at INTEGER,
                    market_time INTEGER NOT NULL, action TEXT NOT NULL, report TEXT);
                CREATE TABLE proposals (
                    id TEXT PRIMARY KEY, cycle_id INTEGER NOT NULL REFERENCES cycles(id), kind TEXT NOT NULL,
                    submitted_at INTEGER NOT NULL, body TEXT NOT NULL, targets TEXT NOT NULL,
                    reserve_bps INTEGER NOT NULL, decision TEXT, reasons TEXT, audit_seq INTEGER, audit_hash TEXT,
                    tx_hash TEXT, bundle_path TEXT, decided_at INTEGER);
                CREATE TABLE backoffs (
                    kind TEXT PRIMARY KEY, until INTEGER NOT NULL, reason TEXT NOT NULL,
                    consecutive INTEGER NOT NULL);
                CREATE TABLE kill_switch_engagements (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, reason TEXT NOT NULL,
                    cycle_id INTEGER NOT NULL REFERENCES cycles(id));
                """)
        }
        return migrator
    }
}
