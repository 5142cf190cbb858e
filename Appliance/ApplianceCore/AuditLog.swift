import Ethereum
import SigningPolicy

/// The tamper-evident audit log: a hash chain of entries in the appliance's SQLite database, anchored by
/// checkpoints that the HSM's audit key signs.
///
/// Each entry's hash commits to the previous hash, its sequence number, time, kind and body, so editing, deleting
/// or reordering a row breaks the chain; a checkpoint signature over (seq, hash) stops an attacker from rebuilding
/// the chain after an edit, and a checkpoint past the last row shows truncation. The appliance signs a checkpoint
/// at start-up, at shutdown and every `checkpointInterval` entries.
public final class AuditLog {
    /// One row of the log.
    public struct Entry: Equatable, Sendable {
        public var seq: Int64
        public var at: Timestamp
        public var kind: String
        public var body: String
        public var previousHash: [UInt8]
        public var hash: [UInt8]
    }

    /// A signed anchor over one entry's hash.
    public struct Checkpoint: Equatable, Sendable {
        public var seq: Int64
        public var hash: [UInt8]
        public var signature: EthereumSignature
    }

    /// The position of the newest entry.
    public struct Head: Equatable, Sendable {
        public var seq: Int64
        public var hash: [UInt8]
        public static let genesis = Head(seq: 0, hash: [UInt8](repeating: 0, count: 32))
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS audit (
            seq INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            prev_hash BLOB NOT NULL,
            hash BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS audit_checkpoints (
            seq INTEGER PRIMARY KEY,
            hash BLOB NOT NULL,
            signature BLOB NOT NULL
        );
        """

    let database: Database
    private let insert: Statement
    private let insertCheckpoint: Statement
    private let selectHead: Statement
    private let selectLastCheckpoint: Statement
    /// The newest entry, as committed or as appended inside the caller's open transaction.
    public private(set) var head: Head

    /// Opens the log in `database`, creating its tables if needed.
    public init(database: Database) throws {
        self.database = database
        try database.execute(Self.schema)
        insert = try database.prepare(
            "INSERT INTO audit (seq, at, kind, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)")
        insertCheckpoint = try database.prepare(
            "INSERT OR REPLACE INTO audit_checkpoints (seq, hash, signature) VALUES (?, ?, ?)")
        selectHead = try database.prepare(Self.headQuery)
        selectLastCheckpoint = try database.prepare("SELECT COALESCE(MAX(seq), 0) FROM audit_checkpoints")
        head = try Self.readHead(selectHead)
    }

    static let headQuery = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"

    static func readHead(_ database: Database) throws -> Head {
        try readHead(database.prepare(headQuery))
    }

    private static func readHead(_ stmt: Statement) throws -> Head {
        defer { stmt.reset() }
        guard try stmt.step() else { return .genesis }
        return Head(seq: stmt.int64(0), hash: stmt.blob(1))
    }

    /// Re-reads the head after a rollback (and before each batch: another process may have appended).
    public func reloadHead() throws { head = try Self.readHead(selectHead) }

    /// The chain hash of an entry.
    public static func entryHash(previous: [UInt8], seq: Int64, at: Timestamp, kind: String, body: String) -> [UInt8] {
        var data = Array("rebalancer-audit-v1".utf8)
        data += previous
        data += bigEndian(UInt64(bitPattern: seq))
        data += bigEndian(UInt64(bitPattern: at.seconds))
        data += Array(kind.utf8) + [0]
        data += Array(body.utf8)
        return Keccak256.hash(data)
    }

    /// The digest the audit key signs for a checkpoint at (seq, hash). It also names the checkpoint before it
    /// (0 for the first), so the checkpoints form a chain of their own: deleting one breaks the next.
    public static func checkpointDigest(seq: Int64, hash: [UInt8], previousCheckpoint: Int64) -> [UInt8] {
        Keccak256.hash(Array("rebalancer-audit-checkpoint-v2".utf8) + bigEndian(UInt64(bitPattern: seq)) + hash
                       + bigEndian(UInt64(bitPattern: previousCheckpoint)))
    }

    /// Appends an entry. Call inside the caller's transaction; on rollback call `reloadHead()`.
    @discardableResult
    public func append(at: Timestamp, kind: String, body: String) throws -> Head {
        let seq = head.seq + 1
        let hash = Self.entryHash(previous: head.hash, seq: seq, at: at, kind: kind, body: body)
        try insert.bind([.integer(seq), .integer(at.seconds), .text(kind), .text(body), .blob(head.hash), .blob(hash)])
            .run()
        head = Head(seq: seq, hash: hash)
        return head
    }

    /// Signs and stores a checkpoint over the current head (nothing to do for an empty log).
    public func checkpoint(signer: some DigestSigner) throws {
        let head = self.head
        guard head.seq > 0 else { return }
        let previous = try lastCheckpointSeq()
        guard previous < head.seq else { return }
        let signature = try signer.sign(digest: Self.checkpointDigest(seq: head.seq, hash: head.hash,
                                                                      previousCheckpoint: previous))
        try insertCheckpoint.bind([.integer(head.seq), .blob(head.hash), .blob(signature.rsv)]).run()
    }

    /// The newest checkpoint's sequence number, or 0.
    public func lastCheckpointSeq() throws -> Int64 {
        defer { selectLastCheckpoint.reset() }
        _ = try selectLastCheckpoint.step()
        return selectLastCheckpoint.int64(0)
    }

    /// Entries with seq > `after`, oldest first, at most `limit`.
    public func entries(after: Int64 = 0, limit: Int = .max) throws -> [Entry] {
        let stmt = try database.prepare(
            "SELECT seq, at, kind, body, prev_hash, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?")
        try stmt.bind([.integer(after), .integer(Int64(min(limit, Int(Int64.max))))])
        var out: [Entry] = []
        while try stmt.step() {
            out.append(Entry(seq: stmt.int64(0), at: Timestamp(seconds: stmt.int64(1)), kind: stmt.text(2),
                             body: stmt.text(3), previousHash: stmt.blob(4), hash: stmt.blob(5)))
        }
        return out
    }

    /// All checkpoints, oldest first.
    public func checkpoints() throws -> [Checkpoint] {
        let stmt = try database.prepare("SELECT seq, hash, signature FROM audit_checkpoints ORDER BY seq")
        var out: [Checkpoint] = []
        while try stmt.step() {
            guard let signature = try? EthereumSignature(rsv: stmt.blob(2)) else {
                // A malformed signature is kept as an impossible one so verification names it.
                out.append(Checkpoint(seq: stmt.int64(0), hash: stmt.blob(1),
                                      signature: EthereumSignature(r: [UInt8](repeating: 0, count: 32),
                                                                   s: [UInt8](repeating: 0, count: 32),
                                                                   recoveryID: 0)))
                continue
            }
            out.append(Checkpoint(seq: stmt.int64(0), hash: stmt.blob(1), signature: signature))
        }
        return out
    }

    static func bigEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }
}

extension AuditLog {
    /// Re-reads the head inside an open transaction (after rolling back to a savepoint).
    func reloadHeadInTransaction() throws { try reloadHead() }
}
