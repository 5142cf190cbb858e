import ApplianceCore
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Testing
import TestSupport
import Wire

/// Acceptance 4: editing, deleting or reordering any audit row, or truncating the log, makes `appliance audit
/// verify` exit non-zero and name the first bad entry.
@Suite("Audit log tampering")
struct AuditTamperTests {
    /// One way to tamper with a copy of the log, and the entry verification must name.
    enum Tamper: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case editBody, editKind, editTime, deleteMiddleRow, deleteLastRow, swapTwoRows, truncateTail,
             truncateTailWithItsCheckpoints, forgeCheckpointSignature, rebuildChainAfterEdit, deleteMiddleCheckpoint

        var testDescription: String { rawValue }

        /// The first bad entry `audit verify` must name (the log has 20 entries, checkpoints at 6, 12, 18, 20).
        var firstBadSeq: Int64 {
            switch self {
            case .editBody: 7
            case .editKind: 9
            case .editTime: 4
            case .deleteMiddleRow: 10
            case .deleteLastRow: 20
            case .swapTwoRows: 5
            case .truncateTail, .truncateTailWithItsCheckpoints: 16
            case .forgeCheckpointSignature: 12
            case .rebuildChainAfterEdit: 12
            case .deleteMiddleCheckpoint: 18
            }
        }

        func apply(to database: Database) throws {
            switch self {
            case .editBody:
                try database.execute("UPDATE audit SET body = replace(body, 'approved', 'rejected') WHERE seq = 7")
            case .editKind: try database.execute("UPDATE audit SET kind = 'event' WHERE seq = 9")
            case .editTime: try database.execute("UPDATE audit SET at = at + 1 WHERE seq = 4")
            case .deleteMiddleRow: try database.execute("DELETE FROM audit WHERE seq = 10")
            case .deleteLastRow: try database.execute("DELETE FROM audit WHERE seq = 20")
            case .swapTwoRows:
                try database.execute("""
                    UPDATE audit SET seq = -5 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = 6;
                    UPDATE audit SET seq = 6 WHERE seq = -5;
                    """)
            case .truncateTail: try database.execute("DELETE FROM audit WHERE seq > 15")
            case .truncateTailWithItsCheckpoints:
                try database.execute("DELETE FROM audit WHERE seq > 15; DELETE FROM audit_checkpoints WHERE seq > 15")
            case .forgeCheckpointSignature:
                let log = try AuditLog(database: database)
                let checkpoint = try #require(try log.checkpoints().first { $0.seq == 12 })
                let forged = try Secp256k1.sign(
                    digest: AuditLog.checkpointDigest(seq: 12, hash: checkpoint.hash, previousCheckpoint: 6),
                    privateKey: [UInt8](repeating: 7, count: 32))
                try database.prepare("UPDATE audit_checkpoints SET signature = ? WHERE seq = 12")
                    .bind([.blob(forged.rsv)]).run()
            case .deleteMiddleCheckpoint: try database.execute("DELETE FROM audit_checkpoints WHERE seq = 12")
            case .rebuildChainAfterEdit:
                // Edit entry 7 and recompute every hash after it: the chain links, but checkpoint 12 does not.
                let log = try AuditLog(database: database)
                var previous = try #require(try log.entries(after: 5, limit: 1).first).hash
                for entry in try log.entries(after: 6) {
                    let body = entry.seq == 7 ? entry.body.replacingOccurrences(of: "approved", with: "rejected")
                        : entry.body
                    let hash = AuditLog.entryHash(previous: previous, seq: entry.seq, at: entry.at, kind: entry.kind,
                                                  body: body)
                    try database.prepare("UPDATE audit SET body = ?, prev_hash = ?, hash = ? WHERE seq = ?")
                        .bind([.text(body), .blob(previous), .blob(hash), .integer(entry.seq)]).run()
                    previous = hash
                }
            }
        }
    }

    /// A real log: the demo policy on a throwaway SoftHSM token, 10 approved and 10 rejected proposals at
    /// advancing times, checkpoints every 6 entries and one at the end.
    struct SourceLog: Sendable {
        let fixture: EngineFixture
        var auditAddress: Address { fixture.auditSigner.address }

        static let shared: Result<SourceLog, any Error> = Result {
            let f = try EngineFixture(checkpointInterval: 6)
            for i in 0..<10 {
                let step = i == 0 ? 0 : (i % 2 == 1 ? 1 : 2)
                _ = f.engine.submit(.propose(DemoProposals.rebalance(id: "a\(i)", at: f.clock.now, step: step)))
                var rejected = DemoProposals.rebalance(id: "r\(i)", at: f.clock.now, step: step)
                rejected.targets[0].adapter = DemoProposals.unknownAdapter
                _ = f.engine.submit(.propose(rejected))
                f.clock.advance(by: Duration(seconds: 13 * 3_600))
            }
            f.engine.checkpointNow()
            return SourceLog(fixture: f)
        }

        /// A copy of the state database in a new state directory.
        func copy(named name: String) throws -> String {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("tamper-\(getpid())-\(name)-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let reader = try Database(path: fixture.layout.database)
            try reader.execute("VACUUM INTO '\(directory)/appliance.sqlite'")
            return directory
        }
    }

    func verify(_ directory: String, _ source: SourceLog) throws -> AuditVerifier.Report {
        let log = try AuditLog(database: try Database(path: directory + "/appliance.sqlite"))
        return try AuditVerifier(auditAddress: source.auditAddress) {
            try? Secp256k1.recoverAddress(digest: $0, signature: $1)
        }.verify(log)
    }

    func cli(_ directory: String, _ source: SourceLog) throws -> CommandResult {
        let appliance = try #require(BuiltProducts.executable(named: "appliance"))
        return try CommandResult.run(appliance, ["audit", "verify", "--state", directory,
                                                 "--audit-address", source.auditAddress.checksummed, "--json"])
    }

    @Test func untouchedLogVerifiesWithExitZero() throws {
        let source = try SourceLog.shared.get()
        let entries = try source.fixture.engine.audit.entries()
        #expect(entries.count == 20)
        #expect(entries.filter { $0.body.contains("\"decision\":\"approved\"") }.count == 10)
        let directory = try source.copy(named: "untouched")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let report = try verify(directory, source)
        #expect(report.isIntact && report.entries == 20 && report.checkpoints == 4)
        #expect(try source.fixture.engine.audit.checkpoints().map(\.seq) == [6, 12, 18, 20])
        let result = try cli(directory, source)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("\"intact\":true"))
        #expect(result.standardOutput.contains("\"uncheckpointed_tail\":0"))
    }

    @Test(arguments: Tamper.allCases)
    func tamperedLogFailsVerificationAtTheFirstBadEntry(_ tamper: Tamper) throws {
        let source = try SourceLog.shared.get()
        let directory = try source.copy(named: tamper.rawValue)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try tamper.apply(to: try Database(path: directory + "/appliance.sqlite"))

        if tamper != .truncateTailWithItsCheckpoints {
            // The chain alone shows it.
            let report = try verify(directory, source)
            #expect(report.problem?.seq == tamper.firstBadSeq, "\(String(describing: report.problem))")
        }
        let result = try cli(directory, source)
        #expect(result.status != 0)
        #expect(result.standardOutput.contains("\"first_bad_seq\":\(tamper.firstBadSeq)"), "\(result.standardOutput)")
        #expect(result.standardError.contains("broken at entry \(tamper.firstBadSeq):"), "\(result.standardError)")
    }
}
