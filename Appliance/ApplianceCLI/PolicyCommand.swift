import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Wire

/// `appliance policy`: check, explain, test, sign and activate signing policies.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check, explain, test, sign and activate signing policies.",
        discussion: """
            The first policy is installed by `appliance init --policy FILE`. Each later policy needs `threshold` \
            EIP-191 signatures from the ACTIVE policy's governance signers over the SHA-256 of its exact bytes, \
            and a version above every installed one. A policy that loosens any bound takes effect after the \
            active policy's loosening_delay; one that only tightens takes effect at once.

            Examples:
              appliance policy check policy/demo.toml
              appliance policy test policy/tests
              appliance policy explain --state /var/lib/rebalancer --proposal proposal.json
              appliance policy sign next.toml --key-file signer.key >> next.sigs
              appliance policy activate --state /var/lib/rebalancer next.toml --signatures next.sigs
            """,
        subcommands: [Check.self, Explain.self, Test.self, Sign.self, Activate.self]
    )

    // MARK: - check

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a policy file and summarise its limits.",
            discussion: """
                Prints the SHA-256 of the file's bytes (what governance signers sign), its version and mode, and \
                every limit. An invalid policy exits 1 with the loader's error and hint.

                Example: appliance policy check policy/demo.toml --json
                """)

        @Argument(help: ArgumentHelp("The policy file (TOML).", valueName: "FILE"))
        var file: String

        @Flag(name: .long, help: "Print the result as one JSON object.")
        var json = false

        func run() throws {
            try CommandFailure.reporting {
                let bytes = try PolicyInputs.bytes(of: file, what: "the policy file")
                let policy: SigningPolicy
                do {
                    policy = try SigningPolicy.load(toml: String(decoding: bytes, as: UTF8.self))
                } catch let error as PolicyLoadError {
                    if json {
                        PolicyInputs.printJSON(.object([
                            "valid": .bool(false), "code": .string(error.code.rawValue),
                            "key": .string(error.keyPath), "message": .string(error.message),
                            "hint": .string(error.hint),
                        ]))
                    }
                    return try PolicyInputs.governed { throw error }
                }
                let sha = PolicyDigest.sha256Hex(bytes)
                if json {
                    PolicyInputs.printJSON(Self.summaryJSON(policy, sha: sha))
                } else {
                    print(Self.summary(policy, sha: sha))
                }
            }
        }

        static func summary(_ p: SigningPolicy, sha: String) -> String {
            var lines = [
                "policy \"\(p.name)\" version \(p.version) is valid (\(p.mode.rawValue) mode, chain \(p.chainID))",
                "sha256:      \(sha)",
                "hub:         \(p.hub.checksummed)",
            ]
            if let safe = p.safeAddress { lines.append("safe:        \(safe.checksummed)") }
            lines.append("adapters:    \(p.adapters.count)")
            for (address, adapter) in p.adapters.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(address.checksummed)  \(adapter.name) (\(adapter.adapterClass.rawValue)), "
                             + "max \(p.effectiveMaxWeightBps(for: address) ?? 0) bps")
            }
            let a = p.allocation, r = p.rate
            lines += [
                "allocation:  weights \(a.minWeightBps)–\(a.maxWeightBps) bps, reserve ≥ \(a.minReserveBps) bps, "
                    + "≤ \(a.maxTargets) targets, change ≥ \(a.minChangeBps) bps",
                "rate:        cooldown \(r.cooldown), ≤ \(r.maxRebalancesPer24h) per 24h, turnover ≤ "
                    + "\(r.maxTurnoverBps) bps per proposal and ≤ \(r.maxTurnoverBpsPer24h) bps per 24h",
                "gas:         max fee \(GweiAmount(wei: p.gas.maxFeePerGas)) gwei, priority fee "
                    + "\(GweiAmount(wei: p.gas.maxPriorityFeePerGas)) gwei, gas limit ≤ \(p.gas.maxGasLimit)",
                "economics:   edge ≥ \(p.economics.minEdgeBps) bps over gas, risk score ≤ \(p.economics.maxRiskScore)",
                "slippage:    " + p.slippage.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value) bps" }
                    .joined(separator: ", "),
                "proposals:   max age \(p.proposal.maxAge), future skew ≤ \(p.proposal.maxFutureSkew), kinds "
                    + p.proposal.kinds.map(\.rawValue).sorted().joined(separator: ", "),
                "safe haven:  \(p.safeHaven?.checksummed ?? "none (no emergency exit)")",
                "governance:  \(p.governance.threshold) of \(p.governance.signers.count) signers, loosening delay "
                    + "\(p.governance.looseningDelay)",
            ]
            lines += p.governance.signers.map { "  \($0.checksummed)" }
            return lines.joined(separator: "\n")
        }

        static func summaryJSON(_ p: SigningPolicy, sha: String) -> JSONValue {
            .object([
                "valid": .bool(true),
                "sha256": .string(sha),
                "name": .string(p.name),
                "version": .integer(p.version),
                "mode": .string(p.mode.rawValue),
                "chain_id": .integer(p.chainID),
                "hub": .string(p.hub.checksummed),
                "safe": .stringOrNull(p.safeAddress?.checksummed),
                "adapters": .array(p.adapters.sorted(by: { $0.key < $1.key }).map { address, adapter in
                    .object([
                        "address": .string(address.checksummed), "name": .string(adapter.name),
                        "class": .string(adapter.adapterClass.rawValue),
                        "max_weight_bps": .integer(p.effectiveMaxWeightBps(for: address) ?? 0),
                    ])
                }),
                "allocation": .object([
                    "min_weight_bps": .integer(p.allocation.minWeightBps),
                    "max_weight_bps": .integer(p.allocation.maxWeightBps),
                    "min_reserve_bps": .integer(p.allocation.minReserveBps),
                    "max_targets": .integer(p.allocation.maxTargets),
                    "min_change_bps": .integer(p.allocation.minChangeBps),
                ]),
                "rate": .object([
                    "cooldown": .string(p.rate.cooldown.description),
                    "max_rebalances_per_24h": .integer(p.rate.maxRebalancesPer24h),
                    "max_turnover_bps": .integer(p.rate.maxTurnoverBps),
                    "max_turnover_bps_per_24h": .integer(p.rate.maxTurnoverBpsPer24h),
                ]),
                "gas": .object([
                    "max_fee_per_gas_gwei": .string(GweiAmount(wei: p.gas.maxFeePerGas).description),
                    "max_priority_fee_per_gas_gwei": .string(GweiAmount(wei: p.gas.maxPriorityFeePerGas).description),
                    "max_gas_limit": .integer(p.gas.maxGasLimit),
                ]),
                "economics": .object([
                    "min_edge_bps": .integer(p.economics.minEdgeBps),
                    "max_risk_score": .integer(p.economics.maxRiskScore),
                ]),
                "slippage": .object(p.slippage.sorted { $0.key < $1.key }.map {
                    JSONValue.Member($0.key.rawValue, .integer($0.value))
                }),
                "proposal": .object([
                    "max_age": .string(p.proposal.maxAge.description),
                    "max_future_skew": .string(p.proposal.maxFutureSkew.description),
                    "kinds": .array(p.proposal.kinds.map(\.rawValue).sorted().map(JSONValue.string)),
                ]),
                "safe_haven": .stringOrNull(p.safeHaven?.checksummed),
                "governance": .object([
                    "signers": .array(p.governance.signers.map { .string($0.checksummed) }),
                    "threshold": .integer(p.governance.threshold),
                    "loosening_delay": .string(p.governance.looseningDelay.description),
                ]),
            ])
        }
    }

    // MARK: - explain

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

    // MARK: - test

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every policy test case in a directory.",
            discussion: """
                Each *.toml file in DIR is one case (policy/RULES.md describes the format): a policy (relative to \
                the case file), a state, a clock, a proposal and the decision and reason codes it must get. \
                Prints PASS or FAIL per case, the reason codes the cases cover, and a summary line \
                `N passed, M failed`. Exits 1 if any case fails or DIR holds no case.

                Example: appliance policy test policy/tests
                """)

        @Argument(help: ArgumentHelp("The directory of case files.", valueName: "DIR"))
        var directory: String

        @Flag(name: .long, help: "Print the results as one JSON object.")
        var json = false

        func run() throws {
            try CommandFailure.reporting { try runCases() }
        }

        private func runCases() throws {
            let base = URL(fileURLWithPath: directory).standardizedFileURL
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: base.path)
                    .filter { $0.hasSuffix(".toml") }.sorted()
            } catch {
                throw CommandFailure("cannot list \(directory)", hint: "pass a directory of policy test case files")
            }
            var policies: [String: Result<SigningPolicy, PolicyLoadError>] = [:]
            var results: [JSONValue] = []
            var passed = 0, failed = 0
            var covered = Set<ReasonCode>()
            for name in names {
                let file = base.appendingPathComponent(name)
                var caseName = name
                var diff: [String] = []
                do {
                    let text = String(decoding: try PolicyInputs.bytes(of: file.path, what: "the case"), as: UTF8.self)
                    let testCase = try PolicyTestCase.parse(toml: text)
                    caseName = testCase.name
                    let policyPath = URL(fileURLWithPath: testCase.policyPath, relativeTo: file.deletingLastPathComponent())
                        .standardizedFileURL.path
                    if policies[policyPath] == nil {
                        let bytes = try PolicyInputs.bytes(of: policyPath, what: "the case's policy")
                        policies[policyPath] = Result { () throws(PolicyLoadError) in
                            try SigningPolicy.load(toml: String(decoding: bytes, as: UTF8.self))
                        }
                    }
                    let outcome = testCase.run(policy: try policies[policyPath]!.get())
                    diff = outcome.diff
                    covered.formUnion(outcome.decision.codes)
                } catch let error as PolicyLoadError {
                    diff = ["cannot load: \(error.keyPath.isEmpty ? "" : error.keyPath + ": ")\(error.message)"]
                } catch let error as CommandFailure {
                    diff = ["cannot load: \(error.message)"]
                }
                if diff.isEmpty { passed += 1 } else { failed += 1 }
                results.append(.object([
                    "file": .string(name), "name": .string(caseName), "passed": .bool(diff.isEmpty),
                    "diff": .array(diff.map(JSONValue.string)),
                ]))
                if !json {
                    print("\(diff.isEmpty ? "PASS" : "FAIL")  \(name)  \(caseName)")
                    for line in diff { print("      \(line)") }
                }
            }
            let missing = ReasonCode.allCases.filter { !covered.contains($0) }.map(\.rawValue)
            if json {
                PolicyInputs.printJSON(.object([
                    "cases": .array(results), "passed": .integer(passed), "failed": .integer(failed),
                    "codes_covered": .array(ReasonCode.allCases.filter(covered.contains).map { .string($0.rawValue) }),
                    "codes_missing": .array(missing.map(JSONValue.string)),
                ]))
            } else {
                print("reason codes covered: \(covered.count) of \(ReasonCode.allCases.count)"
                      + (missing.isEmpty ? "" : " (missing: \(missing.joined(separator: ", ")))"))
                print("\(passed) passed, \(failed) failed")
            }
            if names.isEmpty {
                throw CommandFailure("\(directory) holds no *.toml case files", hint: "pass the directory of case files")
            }
            if failed > 0 { throw ExitCode(1) }
        }
    }

    // MARK: - sign

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a policy file as a governance signer (EIP-191 over its SHA-256).",
            discussion: """
                For co-signers' tooling: signs the EIP-191 personal-message hash of the 32 SHA-256 bytes of the \
                file's exact bytes (what `personal_sign` of those 32 bytes gives) with the key in --key-file, and \
                prints one JSON line {"signer": "0x…", "signature": "0x…", "sha256": "…"}. Collect the lines in a \
                file for `appliance policy activate --signatures FILE`. The output is JSON with or without --json. \
                The appliance never signs with treasury keys this way; this is for signers' own keys.

                Example: appliance policy sign next.toml --key-file ~/.rebalancer/signer.key >> next.sigs
                """)

        @Argument(help: ArgumentHelp("The policy file to sign.", valueName: "FILE"))
        var file: String

        @Option(name: .customLong("key-file"),
                help: ArgumentHelp("A file (mode 0600) holding the signer's hex private key.", valueName: "K"))
        var keyFile: String

        @Flag(name: .long, help: "Print JSON (the default and only format).")
        var json = false

        func run() throws {
            try CommandFailure.reporting {
                let bytes = try PolicyInputs.bytes(of: file, what: "the policy file")
                _ = try PolicyInputs.governed { try SigningPolicy.load(toml: String(decoding: bytes, as: UTF8.self)) }
                var key = try PolicyInputs.privateKey(file: keyFile)
                defer { for i in key.indices { key[i] = 0 } }
                let signature = try Secp256k1.sign(digest: PolicyActivation.digest(policyBytes: bytes), privateKey: key)
                PolicyInputs.printJSON(.object([
                    "signer": .string(try Secp256k1.address(privateKey: key).checksummed),
                    "signature": .string(Hex.encode(signature.rsv)),
                    "sha256": .string(PolicyDigest.sha256Hex(bytes)),
                ]))
            }
        }
    }

    // MARK: - activate

    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install the next policy with the governance signatures it needs.",
            discussion: """
                Refused (exit 1, with a GOVERNANCE_* code) when the policy is invalid, its version is not above \
                every installed one, it carries no signature, a signature is malformed or recovers to an address \
                outside the ACTIVE policy's signers, or fewer than `threshold` distinct signers signed. A policy \
                that loosens any bound takes effect after the active policy's loosening_delay; otherwise at once. \
                Audited as `policy_installed`; a running appliance picks it up at its effective time.

                Example: appliance policy activate --state /var/lib/rebalancer next.toml --signature 0x… --signature 0x…
                """)

        @Option(name: .long, help: ArgumentHelp("The state directory.", valueName: "DIR"))
        var state: String

        @Argument(help: ArgumentHelp("The policy file to activate.", valueName: "FILE"))
        var file: String

        @Option(name: .customLong("signature"), parsing: .upToNextOption,
                help: ArgumentHelp("A governance signature (65 bytes r‖s‖v hex); repeat for each.", valueName: "SIG"))
        var signatureValues: [String] = []

        @Option(name: .long, help: ArgumentHelp("A file of signatures, one per line (hex, or JSON lines from "
                                                + "`policy sign`).", valueName: "FILE"))
        var signatures: String?

        @Flag(name: .long, help: "Print the result as one JSON object.")
        var json = false

        func run() throws {
            try CommandFailure.reporting {
                let bytes = try PolicyInputs.bytes(of: file, what: "the policy file")
                let list = try PolicyInputs.signatures(signatureValues, file: signatures)
                let governance = try PolicyInputs.governance(state: state)
                let activation = try PolicyInputs.governed { try governance.activate(policy: bytes, signatures: list) }
                let checked = activation.checked
                if json {
                    PolicyInputs.printJSON(.object([
                        "version": .integer(checked.policy.version),
                        "sha256": .string(checked.sha256),
                        "effective_at": .string(checked.effectiveAt.rfc3339),
                        "immediate": .bool(!checked.isDelayed),
                        "signers": .array(checked.approvals.map { .string($0.signer.checksummed) }),
                        "loosened": .array(checked.comparison.loosened.map { .string($0.description) }),
                        "tightened": .array(checked.comparison.tightened.map { .string($0.description) }),
                        "audit": .object(["seq": .integer(Int(activation.audit.seq)),
                                          "hash": .string(Hex.encode(activation.audit.hash))]),
                    ]))
                    return
                }
                print("policy \"\(checked.policy.name)\" version \(checked.policy.version) (sha256 \(checked.sha256)) "
                      + "installed with \(checked.approvals.count) signatures")
                if checked.isDelayed {
                    print("it loosens bounds, so it takes effect at \(checked.effectiveAt) (after the "
                          + "\(checked.effectiveAt - checked.checkedAt) loosening delay):")
                    for change in checked.comparison.loosened { print("  looser: \(change)") }
                } else {
                    print("it takes effect now (\(checked.effectiveAt))")
                }
                for change in checked.comparison.tightened { print("  tighter: \(change)") }
            }
        }
    }
}
