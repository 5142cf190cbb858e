import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Wire

extension PolicyCommand {
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how the active policy would decide a proposal, rule by rule.",
            discussion: """
                Evaluates the proposal (the wire JSON: the proposal object itself, or a whole \
                {"type":"propose",…} request) against the policy in force at --at (default now) and the \
                appliance's current state: last approval, rolling windows, seen ids, kill switch. Every rule's \
                result is printed, then the decision. Signs nothing and writes nothing; exits 0 whatever the \
                decision (1 only when the proposal or state cannot be read).

                Example: appliance policy explain --state /var/lib/rebalancer --proposal p.json --at 2026-11-27T09:00:00Z
                """)

        @Option(name: .long, help: ArgumentHelp("The state directory.", valueName: "DIR"))
        var state: String

        @Option(name: .long, help: ArgumentHelp("The proposal (wire JSON).", valueName: "FILE"))
        var proposal: String

        @Option(name: .long, help: ArgumentHelp("Evaluate at this time (RFC 3339, UTC, e.g. 2026-11-27T09:00:00Z).",
                                                valueName: "RFC3339"))
        var at: String?

        @Flag(name: .long, help: "Print the result as one JSON object.")
        var json = false

        func run() throws {
            try CommandFailure.reporting { try explain() }
        }

        private func explain() throws {
            let now: Timestamp
            if let at {
                guard let parsed = Timestamp(rfc3339: at) else {
                    throw CommandFailure("--at \(at) is not an RFC 3339 UTC time",
                                         hint: "write it as 2026-11-27T09:00:00Z")
                }
                now = parsed
            } else {
                now = PolicyInputs.now()
            }
            let parsed = try readProposal()
            let layout = try PolicyInputs.database(state: state)
            let database = try Database(path: layout.database)
            let appliance = try ApplianceState(database: database)
            guard let installed = try appliance.activePolicy(at: now) else {
                throw CommandFailure("no policy is in force at \(now)",
                                     hint: "run `appliance init --policy FILE`, or pick a later --at")
            }
            let policy = try PolicyInputs.governed { try SigningPolicy.load(toml: installed.toml) }
            let snapshot = try appliance.policyState(for: parsed, now: now)
            let decision = PolicyEvaluator.evaluate(proposal: parsed, policy: policy, state: snapshot, now: now)
            if json {
                PolicyInputs.printJSON(.object([
                    "proposal_id": .string(parsed.id),
                    "at": .string(now.rfc3339),
                    "policy_version": .integer(installed.version),
                    "policy_sha256": .string(installed.sha256),
                    "decision": .string(decision.approved ? "approved" : "rejected"),
                    "turnover_bps": .integer(decision.turnoverBps),
                    "rules": .array(decision.rules.map { outcome in
                        .object([
                            "rule": .string(outcome.rule),
                            "result": .string(Self.word(outcome.result)),
                            "reasons": .array(outcome.result.reasons.map {
                                .object(["code": .string($0.code.rawValue), "message": .string($0.message)])
                            }),
                        ])
                    }),
                    "reasons": .array(decision.reasons.map {
                        .object(["code": .string($0.code.rawValue), "rule": .string($0.rule),
                                 "message": .string($0.message)])
                    }),
                ]))
                return
            }
            print("proposal \(parsed.id) at \(now) under policy version \(installed.version) (sha256 \(installed.sha256))")
            for outcome in decision.rules {
                let mark = switch outcome.result {
                case .passed: "pass"
                case .failed: "FAIL"
                case .notApplicable: "n/a "
                }
                print("  \(mark)  \(outcome.rule)")
                for reason in outcome.result.reasons {
                    print("        \(reason.code.rawValue): \(reason.message)")
                }
            }
            let codes = decision.codes.map(\.rawValue).joined(separator: ", ")
            print("decision: \(decision.approved ? "approved" : "rejected (\(codes))"); "
                  + "turnover \(decision.turnoverBps) bps; nothing was signed or recorded")
        }

        static func word(_ result: RuleResult) -> String {
            switch result {
            case .passed: "passed"
            case .failed: "failed"
            case .notApplicable: "not_applicable"
            }
        }

        private func readProposal() throws -> Proposal {
            let bytes = try PolicyInputs.bytes(of: proposal, what: "the proposal file")
            do {
                let json = try JSONParser.parse(bytes)
                if json["type"] != nil {
                    guard case .propose(let p) = try Request.decode(json: json) else {
                        throw WireError(.invalidField, "type: expected \"propose\"")
                    }
                    return p
                }
                return try Proposal(json: json)
            } catch let error as WireError {
                throw CommandFailure("\(proposal) is not a valid proposal: \(error.message) [\(error.code.rawValue)]",
                                     hint: "give the proposal object of the wire protocol (DESIGN.md) or a propose request")
            }
        }
    }
}
