import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import HSM
import Wire

/// `appliance audit`: verify, export and follow the tamper-evident audit log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, export and follow the audit log.",
        discussion: """
            The log is a hash chain in STATE/appliance.sqlite, anchored by checkpoints the HSM's audit key signs. \
            Editing, deleting or reordering a row, or truncating the log, breaks `audit verify`.

            Examples:
              appliance audit verify --state /var/lib/rebalancer
              appliance audit export --state /var/lib/rebalancer --from 100 > audit.jsonl
              appliance audit tail --state /var/lib/rebalancer -n 20 --follow
            """,
        subcommands: [Verify.self, Export.self, Tail.self]
    )

    /// Opens the audit log of a state directory.
    static func open(state: String) throws -> (AuditLog, ApplianceState) {
        let layout = try PolicyInputs.database(state: state)
        do {
            let database = try Database(path: layout.database)
            return (try AuditLog(database: database), try ApplianceState(database: database))
        } catch {
            throw CommandFailure("cannot open \(layout.database): \(error)",
                                 hint: "check the state directory is readable by this user")
        }
    }

    static func json(_ entry: AuditLog.Entry) -> JSONValue {
        let body = (try? JSONParser.parse(Array(entry.body.utf8), maxDepth: 64)) ?? .string(entry.body)
        return .object([
            "seq": .integer(Int(entry.seq)), "at": .string(entry.at.rfc3339), "kind": .string(entry.kind),
            "body": body, "prev_hash": .string(Hex.encode(entry.previousHash)), "hash": .string(Hex.encode(entry.hash)),
        ])
    }

    // MARK: - verify

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the audit log end to end; exit 0 only for an intact chain.",
            discussion: """
                Checks contiguous sequence numbers, every entry's hash and link, every checkpoint against its \
                entry and the audit key's signature, and that no checkpoint lies beyond the last entry \
                (truncation). Names the first bad entry. Reports the entries, the checkpoints and the \
                un-checkpointed tail (entries after the newest checkpoint: chained but not yet anchored). The \
                audit key's address comes from STATE/appliance.json unless --audit-address pins it.

                Example: appliance audit verify --state /var/lib/rebalancer --json
                """)

        @Option(name: .long, help: ArgumentHelp("The state directory.", valueName: "DIR"))
        var state: String

        @Option(name: .customLong("audit-address"),
                help: ArgumentHelp("The audit key's address (default: from STATE/appliance.json).", valueName: "ADDR"))
        var auditAddress: String?

        @Flag(name: .long, help: "Print the report as one JSON object.")
        var json = false

        func run() throws {
            try CommandFailure.reporting { try verify() }
        }

        private func verify() throws {
            let address: Address
            if let auditAddress {
                guard let parsed = try? Address(hex: auditAddress) else {
                    throw CommandFailure("--audit-address \(auditAddress) is not an address",
                                         hint: "pass 0x followed by 40 hex digits")
                }
                address = parsed
            } else {
                let layout = try PolicyInputs.database(state: state)
                address = try Address(hex: try HSMConfiguration.load(stateDirectory: layout.directory).auditAddress)
            }
            let (log, appliance) = try AuditCommand.open(state: state)
            let verifier = AuditVerifier(auditAddress: address) { digest, signature in
                try? Secp256k1.recoverAddress(digest: digest, signature: signature)
            }
            let report = try verifier.verify(log)
            var problem = report.problem.map { (seq: $0.seq, message: $0.message) }
            if problem == nil { problem = try AuditCommand.crossCheck(log: log, state: appliance, head: report.head) }
            if json {
                let head: JSONValue = .object([
                    "seq": .integer(Int(report.head.seq)), "hash": .string(Hex.encode(report.head.hash)),
                ])
                let firstBad: JSONValue = problem.map { .integer(Int($0.seq)) } ?? .null
                let members: [JSONValue.Member] = [
                    .init("intact", .bool(problem == nil)),
                    .init("entries", .integer(Int(report.entries))),
                    .init("checkpoints", .integer(report.checkpoints)),
                    .init("last_checkpoint_seq", .integer(Int(report.lastCheckpointSeq))),
                    .init("uncheckpointed_tail", .integer(Int(report.uncheckpointedTail))),
                    .init("head", head),
                    .init("audit_address", .string(address.checksummed)),
                    .init("first_bad_seq", firstBad),
                    .init("problem", .stringOrNull(problem?.message)),
                ]
                PolicyInputs.printJSON(.object(members))
            } else {
                let verdict = problem.map { "BROKEN at entry \($0.seq)" } ?? "intact"
                print("audit log \(verdict): \(report.entries) entries verified (head \(report.head.seq)), "
                      + "\(report.checkpoints) checkpoints signed by \(address.checksummed) (last at "
                      + "\(report.lastCheckpointSeq)), \(report.uncheckpointedTail) entries after the last checkpoint")
            }
            if let problem {
                throw CommandFailure("the audit log is broken at entry \(problem.seq): \(problem.message)",
                                     hint: "treat the state as tampered with: compare with your last exported copy "
                                         + "(`appliance audit export`) and investigate before signing anything")
            }
        }
    }

    /// Checks the chain against the state it audits: every approval and every seen proposal id names an entry
    /// that exists and decided that proposal, and an installed policy implies a non-empty log. Catches a
    /// truncation whose checkpoints were deleted with it.
    static func crossCheck(log: AuditLog, state: ApplianceState, head: AuditLog.Head) throws
        -> (seq: Int64, message: String)?
    {
        var references: [(seq: Int64, id: String)] = try state.allApprovals().map { ($0.seq, $0.proposalID) }
        let stmt = try state.database.prepare("SELECT id, seq FROM proposal_ids ORDER BY seq")
        while try stmt.step() { references.append((stmt.int64(1), stmt.text(0))) }
        for reference in references.sorted(by: { $0.seq < $1.seq }) {
            guard reference.seq <= head.seq else {
                return (head.seq + 1, "the log ends at entry \(head.seq) but the state records proposal "
                        + "\(reference.id) as decided by entry \(reference.seq): the log was truncated")
            }
            guard let entry = try log.entries(after: reference.seq - 1, limit: 1).first, entry.seq == reference.seq,
                  entry.kind == "decision",
                  entry.body.contains("\"proposal_id\":\(JSONValue.string(reference.id).serialized())")
            else {
                return (reference.seq, "entry \(reference.seq) is not the decision on proposal \(reference.id) "
                        + "that the state records")
            }
        }
        if head.seq == 0, !(try state.policyHistory().isEmpty) {
            return (1, "the log is empty, but a policy is installed (init audits it): the log was truncated")
        }
        return nil
    }

    // MARK: - export

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print audit entries as JSON lines.",
            discussion: """
                One JSON object per line: seq, at, kind, body (the entry's JSON), prev_hash, hash. Export does \
                not verify; run `audit verify` for that.

                Example: appliance audit export --state /var/lib/rebalancer --from 1 --to 500 > audit.jsonl
                """)

        @Option(name: .long, help: ArgumentHelp("The state directory.", valueName: "DIR"))
        var state: String

        @Option(name: .long, help: ArgumentHelp("The first entry (default 1).", valueName: "SEQ"))
        var from: Int64 = 1

        @Option(name: .long, help: ArgumentHelp("The last entry (default: the newest).", valueName: "SEQ"))
        var to: Int64?

        func run() throws {
            try CommandFailure.reporting {
                let (log, _) = try AuditCommand.open(state: state)
                var after = max(0, from - 1)
                while true {
                    let page = try log.entries(after: after, limit: 1_000)
                    for entry in page {
                        if let to, entry.seq > to { return }
                        PolicyInputs.printJSON(AuditCommand.json(entry))
                    }
                    guard let last = page.last else { return }
                    after = last.seq
                }
            }
        }
    }

    // MARK: - tail

    struct Tail: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the newest audit entries, optionally following new ones.",
            discussion: """
                Prints the last N entries as `seq  time  kind  body`; with --follow keeps polling once a second \
                for new entries until interrupted.

                Example: appliance audit tail --state /var/lib/rebalancer -n 5 --follow
                """)

        @Option(name: .long, help: ArgumentHelp("The state directory.", valueName: "DIR"))
        var state: String

        @Option(name: .short, help: ArgumentHelp("How many entries (default 10).", valueName: "N"))
        var n: Int = 10

        @Flag(name: .long, help: "Keep printing new entries as they are appended.")
        var follow = false

        func run() throws {
            try CommandFailure.reporting {
                let (log, _) = try AuditCommand.open(state: state)
                try log.reloadHead()
                var after = max(0, log.head.seq - Int64(max(0, n)))
                while true {
                    var page = try log.entries(after: after, limit: 1_000)
                    while !page.isEmpty {
                        for entry in page { print("\(entry.seq)  \(entry.at)  \(entry.kind)  \(entry.body)") }
                        after = page.last!.seq
                        page = try log.entries(after: after, limit: 1_000)
                    }
                    guard follow else { return }
                    fflush(nil)
                    sleep(1)
                }
            }
        }
    }
}
