import BigInt
import Ethereum

/// One case of `appliance policy test DIR`: a policy, a state, a clock, a proposal, and the decision it must get.
///
/// Case files are TOML (read with the same strict parser as policies, so the runner stays pure). The proposal is
/// written with the wire protocol's keys, so a case reads like what a planner sends:
///
/// ```toml
/// name = "cooldown rejects a second rebalance within six hours"
/// policy = "../demo.toml"            # relative to the case file
/// now = "2026-11-27T09:05:00Z"
///
/// [state]                            # optional; every key optional
/// last_rebalance_at = "2026-11-27T05:00:00Z"
/// last_approved_targets = [ { adapter = "0x…", weight_bps = 5000 } ]
/// last_approved_reserve_bps = 5000   # with last_approved_targets, or neither (= before the first approval)
/// recent_approvals = [ { decided_at = "2026-11-27T05:00:00Z", turnover_bps = 5000 } ]
/// seen_ids = ["2026-11-27T05-00-a1"]
/// kill_switch_engaged = false
///
/// [proposal]                         # the wire JSON's keys
/// id = "…"; created_at = "…"; chain_id = 1; kind = "rebalance"; targets = [ … ]; reserve_bps = 500
/// max_slippage_bps = 10; gas = { … }; expected = { … }; evidence = { … }   # evidence optional
///
/// [expect]
/// decision = "rejected"              # or "approved"
/// codes = ["COOLDOWN_ACTIVE"]        # exactly these codes, in any order; [] when approved
/// turnover_bps = 1000                # optional
/// ```
public struct PolicyTestCase: Hashable, Sendable {
    /// What the case requires of the decision.
    public struct Expectation: Hashable, Sendable {
        public var approved: Bool
        /// Sorted by code, no repeats.
        public var codes: [ReasonCode]
        public var turnoverBps: Int?

        public init(approved: Bool, codes: [ReasonCode], turnoverBps: Int? = nil) {
            self.approved = approved
            self.codes = Array(Set(codes)).sorted { $0.rawValue < $1.rawValue }
            self.turnoverBps = turnoverBps
        }
    }

    /// The outcome of running a case: passed, or the differences between what was expected and what happened.
    public struct Outcome: Hashable, Sendable {
        public var name: String
        public var decision: PolicyDecision
        /// Empty when the case passed; otherwise one line per difference.
        public var diff: [String]
        public var passed: Bool { diff.isEmpty }
    }

    public var name: String
    /// The policy file, relative to the case file.
    public var policyPath: String
    public var now: Timestamp
    public var state: PolicyState
    public var proposal: Proposal
    public var expectation: Expectation

    public init(
        name: String, policyPath: String, now: Timestamp, state: PolicyState, proposal: Proposal,
        expectation: Expectation
    ) {
        self.name = name
        self.policyPath = policyPath
        self.now = now
        self.state = state
        self.proposal = proposal
        self.expectation = expectation
    }

    /// Reads a case file. Unknown keys are refused, as in policies.
    public static func parse(toml text: String) throws(PolicyLoadError) -> PolicyTestCase {
        let document: TOMLTable
        do {
            document = try TOMLParser.parse(text)
        } catch {
            throw PolicyLoadError(.syntax, keyPath: "", message: error.message, hint: "fix the TOML at this place",
                                  position: error.position)
        }
        var root = TOMLTableReader(document)
        let name = try root.string("name", hint: "add name = \"what the case shows\"")
        let policyPath = try root.string("policy", hint: "add policy = \"../demo.toml\" (relative to this file)")
        let now = try root.timestamp("now", hint: "add now = \"2026-11-27T09:00:00Z\"")

        var proposalTable = try root.table("proposal", hint: "add a [proposal] table with the wire protocol's keys")
        let proposal = try readProposal(&proposalTable)
        try proposalTable.finish()

        var state = PolicyState()
        var seenIDs: [String] = []
        if var stateTable = try root.optionalTable("state") {
            state.lastRebalanceAt = try stateTable.optionalTimestamp("last_rebalance_at")
            let targets = try stateTable.optionalArray("last_approved_targets")
            let reserve = try stateTable.optionalInteger("last_approved_reserve_bps", in: -1_000_000...1_000_000)
            switch (targets, reserve) {
            case (let items?, let reserveBps?):
                let parsed = try readTargets(items, in: stateTable, key: "last_approved_targets")
                state.lastApproved = PolicyState.ApprovedAllocation(targets: parsed, reserveBps: reserveBps)
            case (nil, nil):
                state.lastApproved = nil
            default:
                throw stateTable.error(.inconsistent, "last_approved_targets",
                                       "last_approved_targets and last_approved_reserve_bps go together",
                                       hint: "give both, or neither (before the first approval)")
            }
            for item in try stateTable.optionalArray("recent_approvals") ?? [] {
                guard case .table(let entryTable) = item else {
                    throw stateTable.error(.wrongType, "recent_approvals", "entries are inline tables",
                                           hint: "write { decided_at = \"…\", turnover_bps = 1000 }")
                }
                var entry = TOMLTableReader(entryTable, path: stateTable.keyPath("recent_approvals"))
                let decidedAt = try entry.timestamp("decided_at", hint: "add decided_at = \"…Z\"")
                let turnover = try entry.integer("turnover_bps", in: 0...1_000_000, hint: "add turnover_bps = <bps>")
                try entry.finish()
                state.recentApprovals.append(PolicyState.Approval(decidedAt: decidedAt, turnoverBps: turnover))
            }
            for item in try stateTable.optionalArray("seen_ids") ?? [] {
                guard case .string(let id) = item else {
                    throw stateTable.error(.wrongType, "seen_ids", "seen_ids holds strings", hint: "quote each id")
                }
                seenIDs.append(id)
            }
            state.killSwitchEngaged = try stateTable.optionalBool("kill_switch_engaged") ?? false
            try stateTable.finish()
        }
        state.isDuplicateID = seenIDs.contains(proposal.id)

        var expectTable = try root.table("expect", hint: "add an [expect] table with decision and codes")
        let decisionText = try expectTable.string("decision", hint: "add decision = \"approved\" or \"rejected\"")
        guard decisionText == "approved" || decisionText == "rejected" else {
            throw expectTable.error(.invalidValue, "decision", "\"\(decisionText)\" is not a decision",
                                    hint: "use \"approved\" or \"rejected\"")
        }
        guard let codeItems = try expectTable.optionalArray("codes") else {
            _ = try expectTable.value("codes", hint: "add codes = [\"…\"] ([] when approved)")
            throw PolicyLoadError(.missingKey, keyPath: "expect.codes", message: "missing", hint: "")
        }
        var codes: [ReasonCode] = []
        for item in codeItems {
            guard case .string(let text) = item, let code = ReasonCode(rawValue: text) else {
                throw expectTable.error(.invalidValue, "codes", "codes holds reason codes such as \"WRONG_CHAIN\"",
                                        hint: "see policy/RULES.md for the codes")
            }
            codes.append(code)
        }
        guard (decisionText == "approved") == codes.isEmpty else {
            throw expectTable.error(.inconsistent, "codes", "an approval has no codes and a rejection at least one",
                                    hint: "fix decision or codes")
        }
        let turnover = try expectTable.optionalInteger("turnover_bps", in: 0...1_000_000)
        try expectTable.finish()
        try root.finish()

        return PolicyTestCase(
            name: name, policyPath: policyPath, now: now, state: state, proposal: proposal,
            expectation: Expectation(approved: decisionText == "approved", codes: codes, turnoverBps: turnover)
        )
    }

    /// Evaluates the case against `policy` (the caller loaded `policyPath`) and compares with the expectation.
    public func run(policy: SigningPolicy) -> Outcome {
        let decision = PolicyEvaluator.evaluate(proposal: proposal, policy: policy, state: state, now: now)
        var diff: [String] = []
        func word(_ approved: Bool) -> String { approved ? "approved" : "rejected" }
        if decision.approved != expectation.approved {
            diff.append("decision: expected \(word(expectation.approved)), got \(word(decision.approved))")
        }
        let got = decision.codes.sorted { $0.rawValue < $1.rawValue }
        if got != expectation.codes {
            diff.append("codes: expected [\(expectation.codes.map(\.rawValue).joined(separator: ", "))], "
                            + "got [\(got.map(\.rawValue).joined(separator: ", "))]")
        }
        if let turnover = expectation.turnoverBps, turnover != decision.turnoverBps {
            diff.append("turnover_bps: expected \(turnover), got \(decision.turnoverBps)")
        }
        if !diff.isEmpty {
            for reason in decision.reasons {
                diff.append("  \(reason.code.rawValue) (\(reason.rule)): \(reason.message)")
            }
        }
        return Outcome(name: name, decision: decision, diff: diff)
    }

    // MARK: - Reading the proposal

    private static func readProposal(_ table: inout TOMLTableReader) throws(PolicyLoadError) -> Proposal {
        let id = try table.string("id", hint: "add id = \"…\"")
        let createdAt = try table.timestamp("created_at", hint: "add created_at = \"…Z\"")
        let chainID = try table.integer("chain_id", in: 0...Int64.max, hint: "add chain_id = 1")
        let kindText = try table.string("kind", hint: "add kind = \"rebalance\" or \"emergency_exit\"")
        guard let kind = Proposal.Kind(rawValue: kindText) else {
            throw table.error(.invalidValue, "kind", "\"\(kindText)\" is not a kind",
                              hint: "use \"rebalance\" or \"emergency_exit\"")
        }
        guard let targetItems = try table.optionalArray("targets") else {
            _ = try table.value("targets", hint: "add targets = [ { adapter = \"0x…\", weight_bps = … } ]")
            throw PolicyLoadError(.missingKey, keyPath: "proposal.targets", message: "missing", hint: "")
        }
        let targets = try readTargets(targetItems, in: table, key: "targets")
        let reserve = try table.integer("reserve_bps", in: -1_000_000...1_000_000, hint: "add reserve_bps = 500")
        let slippage = try table.integer("max_slippage_bps", in: -1_000_000...1_000_000,
                                         hint: "add max_slippage_bps = 10")

        var gasTable = try table.table("gas", hint: "add gas = { max_fee_per_gas = \"…\", … }")
        func wei(_ key: String) throws(PolicyLoadError) -> BigUInt {
            let text = try gasTable.string(key, hint: "add \(key) = \"<wei>\"")
            guard (1...78).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  let value = BigUInt(text, radix: 10)
            else {
                throw gasTable.error(.invalidValue, key, "\"\(text)\" is not a decimal amount of wei",
                                     hint: "write wei as a decimal string, e.g. \"30000000000\"")
            }
            return value
        }
        let gas = Proposal.Gas(
            maxFeePerGas: try wei("max_fee_per_gas"), maxPriorityFeePerGas: try wei("max_priority_fee_per_gas"),
            gasLimit: UInt64(try gasTable.integer("gas_limit", in: 0...Int64.max, hint: "add gas_limit = 450000"))
        )
        try gasTable.finish()

        var expectedTable = try table.table("expected", hint: "add expected = { apy_gain_bps = …, … }")
        let claim: ClosedRange<Int64> = -1_000_000...1_000_000
        let expected = Proposal.Expected(
            apyGainBps: try expectedTable.integer("apy_gain_bps", in: claim, hint: "add apy_gain_bps = 40"),
            gasCostBps: try expectedTable.integer("gas_cost_bps", in: claim, hint: "add gas_cost_bps = 2"),
            maxRiskScore: try expectedTable.integer("max_risk_score", in: claim, hint: "add max_risk_score = 35")
        )
        try expectedTable.finish()

        var evidence: [Proposal.Evidence] = []
        if var evidenceTable = try table.optionalTable("evidence") {
            for key in evidenceTable.allKeys() {
                guard case .string(let value)? = evidenceTable.table[key] else {
                    throw evidenceTable.error(.wrongType, key, "evidence values are strings", hint: "quote the value")
                }
                evidence.append(Proposal.Evidence(key: key, value: value))
            }
        }

        return Proposal(
            id: id, createdAt: createdAt, chainID: UInt64(chainID), kind: kind, targets: targets, reserveBps: reserve,
            maxSlippageBps: slippage, gas: gas, expected: expected, evidence: evidence
        )
    }

    private static func readTargets(
        _ items: [TOMLValue], in table: TOMLTableReader, key: String
    ) throws(PolicyLoadError) -> [Proposal.Target] {
        var targets: [Proposal.Target] = []
        for item in items {
            guard case .table(let inner) = item else {
                throw table.error(.wrongType, key, "targets are inline tables",
                                  hint: "write { adapter = \"0x…\", weight_bps = 4500 }")
            }
            var entry = TOMLTableReader(inner, path: table.keyPath(key), position: table.table.position(of: key))
            let adapter = try entry.address("adapter", hint: "add adapter = \"0x…\"")
            let weight = try entry.integer("weight_bps", in: -1_000_000...1_000_000, hint: "add weight_bps = <bps>")
            try entry.finish()
            targets.append(Proposal.Target(adapter: adapter, weightBps: weight))
        }
        return targets
    }
}
