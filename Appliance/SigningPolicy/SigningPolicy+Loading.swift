import BigInt
import Ethereum

extension SigningPolicy {
    /// Largest `max_targets` a policy may set.
    public static let maxTargetsLimit = 64
    /// Largest `proposal.max_age` (also the transaction deadline horizon).
    public static let maxAgeLimit = Duration(seconds: 86_400)
    /// Largest `proposal.max_future_skew`.
    public static let maxFutureSkewLimit = Duration(seconds: 600)
    /// Largest `gas.max_gas_limit` (a mainnet block).
    public static let maxGasLimitLimit: Int64 = 30_000_000

    /// Loads and validates a policy file (DESIGN.md, "Policy file"; every key is in `policy/RULES.md`).
    ///
    /// Unknown keys, missing required keys, out-of-range values and contradictory bounds are refused with the
    /// key path and a hint. The caller reads the file and hashes its bytes; this function does no I/O.
    public static func load(toml text: String) throws(PolicyLoadError) -> SigningPolicy {
        let document: TOMLTable
        do {
            document = try TOMLParser.parse(text)
        } catch {
            throw PolicyLoadError(.syntax, keyPath: "", message: error.message,
                                  hint: "fix the TOML at this place (policy/RULES.md lists the supported subset)",
                                  position: error.position)
        }
        var root = TOMLTableReader(document)
        let bps: ClosedRange<Int64> = 0...10_000

        // [policy]
        var policyTable = try root.table("policy", hint: "add a [policy] table with name, version, chain_id, mode, hub")
        let name = try policyTable.string("name", hint: "name the policy, e.g. name = \"demo\"")
        guard !name.isEmpty, name.utf8.count <= 64 else {
            throw policyTable.error(.invalidValue, "name", "name must be 1–64 bytes", hint: "use a short name")
        }
        let version = try policyTable.integer("version", in: 1...Int64(Int32.max),
                                              hint: "add version = 1 (each activation needs a higher version)")
        let chainID = try policyTable.integer("chain_id", in: 1...Int64.max, hint: "add chain_id = 1 for mainnet")
        let modeText = try policyTable.string("mode", hint: "add mode = \"keeper\" or mode = \"safe\"")
        guard let mode = Mode(rawValue: modeText) else {
            throw policyTable.error(.invalidValue, "mode", "\"\(modeText)\" is not a mode",
                                    hint: "use \"keeper\" or \"safe\"")
        }
        let hub = try policyTable.address("hub", hint: "add hub = \"0x…\", the StrategyHub contract")
        guard hub != Address.zero else {
            throw policyTable.error(.invalidValue, "hub", "the hub cannot be the zero address",
                                    hint: "use the deployed StrategyHub address")
        }
        try policyTable.finish()

        // [slippage] (read before the adapters, which must each have a class cap)
        var slippageTable = try root.table("slippage", hint: "add a [slippage] table with a cap per adapter class")
        var slippage: [AdapterClass: Int] = [:]
        for adapterClass in AdapterClass.allCases {
            if let cap = try slippageTable.optionalInteger(adapterClass.rawValue, in: bps) {
                slippage[adapterClass] = cap
            }
        }
        try slippageTable.finish()

        // [allocation]
        var allocationTable = try root.table("allocation", hint: "add an [allocation] table")
        let allocation = Allocation(
            minWeightBps: try allocationTable.integer("min_weight_bps", in: bps, hint: "add min_weight_bps = 500"),
            maxWeightBps: try allocationTable.integer("max_weight_bps", in: bps, hint: "add max_weight_bps = 5000"),
            minReserveBps: try allocationTable.integer("min_reserve_bps", in: bps, hint: "add min_reserve_bps = 500"),
            maxTargets: try allocationTable.integer("max_targets", in: 1...Int64(maxTargetsLimit),
                                                    hint: "add max_targets = 8"),
            minChangeBps: try allocationTable.integer("min_change_bps", in: bps, hint: "add min_change_bps = 500")
        )
        guard allocation.minWeightBps <= allocation.maxWeightBps else {
            throw allocationTable.error(.inconsistent, "min_weight_bps",
                                        "min_weight_bps (\(allocation.minWeightBps)) is above max_weight_bps "
                                            + "(\(allocation.maxWeightBps))",
                                        hint: "lower min_weight_bps or raise max_weight_bps")
        }
        try allocationTable.finish()

        // [adapters]
        var adaptersTable = try root.table("adapters", hint: "add an [adapters] table (the allowlist; it may be empty)")
        var adapters: [Address: Adapter] = [:]
        for key in adaptersTable.allKeys() {
            let address = try adaptersTable.parseAddress(key, key: key)
            guard adapters[address] == nil else {
                throw adaptersTable.error(.inconsistent, key, "adapter \(address) is listed twice",
                                          hint: "keep one entry per adapter (addresses compare as 20-byte values)")
            }
            guard var entry = try adaptersTable.optionalTable(key) else { continue }
            let adapterName = try entry.string("name", hint: "give the adapter a name = \"…\"")
            guard !adapterName.isEmpty, adapterName.utf8.count <= 64 else {
                throw entry.error(.invalidValue, "name", "name must be 1–64 bytes", hint: "use a short name")
            }
            let classText = try entry.string("class", hint: "add class = \"lending\", \"stable_lp\" or \"volatile_lp\"")
            guard let adapterClass = AdapterClass(rawValue: classText) else {
                throw entry.error(.invalidValue, "class", "\"\(classText)\" is not an adapter class",
                                  hint: "use \"lending\", \"stable_lp\" or \"volatile_lp\"")
            }
            guard slippage[adapterClass] != nil else {
                throw entry.error(.inconsistent, "class", "class \"\(classText)\" has no [slippage] cap",
                                  hint: "add slippage.\(classText) = <bps>")
            }
            let maxWeight = try entry.integer("max_weight_bps", in: bps, hint: "add max_weight_bps = <bps>")
            try entry.finish()
            adapters[address] = Adapter(name: adapterName, adapterClass: adapterClass, maxWeightBps: maxWeight)
        }
        try adaptersTable.finish()

        // [rate]
        var rateTable = try root.table("rate", hint: "add a [rate] table")
        let rate = Rate(
            cooldown: try rateTable.duration("cooldown", hint: "add cooldown = \"6h\""),
            maxRebalancesPer24h: try rateTable.integer("max_rebalances_per_24h", in: 0...1_440,
                                                       hint: "add max_rebalances_per_24h = 4"),
            maxTurnoverBps: try rateTable.integer("max_turnover_bps", in: bps, hint: "add max_turnover_bps = 5000"),
            maxTurnoverBpsPer24h: try rateTable.integer("max_turnover_bps_per_24h", in: 0...1_000_000,
                                                        hint: "add max_turnover_bps_per_24h = 10000")
        )
        guard rate.maxTurnoverBps <= rate.maxTurnoverBpsPer24h else {
            throw rateTable.error(.inconsistent, "max_turnover_bps",
                                  "max_turnover_bps (\(rate.maxTurnoverBps)) is above max_turnover_bps_per_24h "
                                      + "(\(rate.maxTurnoverBpsPer24h))",
                                  hint: "a single proposal cannot move more than the daily budget")
        }
        guard allocation.minChangeBps <= rate.maxTurnoverBps else {
            throw allocationTable.error(.inconsistent, "min_change_bps",
                                        "min_change_bps (\(allocation.minChangeBps)) is above rate.max_turnover_bps "
                                            + "(\(rate.maxTurnoverBps)): no rebalance could pass",
                                        hint: "lower min_change_bps or raise rate.max_turnover_bps")
        }
        try rateTable.finish()

        // [gas]
        var gasTable = try root.table("gas", hint: "add a [gas] table")
        func gwei(_ key: String, _ example: String) throws(PolicyLoadError) -> BigUInt {
            let text = try gasTable.string(key, hint: "add \(key) = \"\(example)\"")
            guard let amount = GweiAmount(text: text) else {
                throw gasTable.error(.invalidValue, key, "\"\(text)\" is not a gwei amount",
                                     hint: "write a decimal string of gwei such as \"150\" or \"1.5\" (≤ 9 decimals)")
            }
            return amount.wei
        }
        let gas = GasCaps(
            maxFeePerGas: try gwei("max_fee_per_gas_gwei", "150"),
            maxPriorityFeePerGas: try gwei("max_priority_fee_per_gas_gwei", "3"),
            maxGasLimit: UInt64(try gasTable.integer("max_gas_limit", in: 21_000...maxGasLimitLimit,
                                                     hint: "add max_gas_limit = 500000"))
        )
        guard gas.maxPriorityFeePerGas <= gas.maxFeePerGas else {
            throw gasTable.error(.inconsistent, "max_priority_fee_per_gas_gwei",
                                 "the priority fee cap is above the max fee cap",
                                 hint: "a priority fee can never exceed the max fee; lower it")
        }
        try gasTable.finish()

        // [economics]
        var economicsTable = try root.table("economics", hint: "add an [economics] table")
        let economics = Economics(
            minEdgeBps: try economicsTable.integer("min_edge_bps", in: bps, hint: "add min_edge_bps = 50"),
            maxRiskScore: try economicsTable.integer("max_risk_score", in: 0...100, hint: "add max_risk_score = 69")
        )
        try economicsTable.finish()

        // [kill_switch]
        var safeHaven: Address? = nil
        if var killSwitchTable = try root.optionalTable("kill_switch") {
            let haven = try killSwitchTable.address("safe_haven",
                                                    hint: "add safe_haven = \"0x…\", an allowlisted adapter")
            guard adapters[haven] != nil else {
                throw killSwitchTable.error(.inconsistent, "safe_haven", "the safe haven \(haven) is not in [adapters]",
                                            hint: "choose an allowlisted adapter (usually the safest lending market)")
            }
            try killSwitchTable.finish()
            safeHaven = haven
        }

        // [proposal]
        var proposalTable = try root.table("proposal", hint: "add a [proposal] table with max_age and max_future_skew")
        let maxAge = try proposalTable.duration("max_age", hint: "add max_age = \"10m\"")
        guard maxAge.seconds >= 1, maxAge <= maxAgeLimit else {
            throw proposalTable.error(.invalidValue, "max_age", "max_age must be between 1s and \(maxAgeLimit)",
                                      hint: "use a few minutes, e.g. \"10m\"")
        }
        let skew = try proposalTable.duration("max_future_skew", hint: "add max_future_skew = \"30s\"")
        guard skew <= maxFutureSkewLimit else {
            throw proposalTable.error(.invalidValue, "max_future_skew",
                                      "max_future_skew must be at most \(maxFutureSkewLimit)",
                                      hint: "use a few seconds, e.g. \"30s\"")
        }
        var kinds: Set<Proposal.Kind> = safeHaven == nil ? [.rebalance] : [.rebalance, .emergencyExit]
        if let items = try proposalTable.optionalArray("kinds") {
            kinds = []
            for item in items {
                guard case .string(let text) = item, let kind = Proposal.Kind(rawValue: text) else {
                    throw proposalTable.error(.invalidValue, "kinds",
                                              "kinds holds \"rebalance\" and/or \"emergency_exit\"",
                                              hint: "write kinds = [\"rebalance\", \"emergency_exit\"]")
                }
                guard kinds.insert(kind).inserted else {
                    throw proposalTable.error(.invalidValue, "kinds", "\"\(text)\" is listed twice",
                                              hint: "list each kind once")
                }
            }
            if kinds.contains(.emergencyExit) && safeHaven == nil {
                throw proposalTable.error(.inconsistent, "kinds",
                                          "emergency_exit is allowed but there is no safe haven",
                                          hint: "add [kill_switch] safe_haven, or remove emergency_exit")
            }
        }
        try proposalTable.finish()

        // [safe]
        var safeAddress: Address? = nil
        if var safeTable = try root.optionalTable("safe") {
            guard mode == .safe else {
                throw root.error(.inconsistent, "safe", "a [safe] table in keeper mode",
                                 hint: "remove [safe], or set policy.mode = \"safe\"")
            }
            let address = try safeTable.address("address", hint: "add address = \"0x…\", the Safe")
            guard address != Address.zero else {
                throw safeTable.error(.invalidValue, "address", "the Safe cannot be the zero address",
                                      hint: "use the deployed Safe's address")
            }
            try safeTable.finish()
            safeAddress = address
        } else if mode == .safe {
            throw PolicyLoadError(.missingKey, keyPath: "safe", message: "mode is \"safe\" but [safe] is missing",
                                  hint: "add [safe] address = \"0x…\"")
        }

        // [governance]
        var governanceTable = try root.table("governance", hint: "add a [governance] table")
        guard let signerItems = try governanceTable.optionalArray("signers") else {
            _ = try governanceTable.value("signers", hint: "add signers = [\"0x…\", …]")
            throw PolicyLoadError(.missingKey, keyPath: "governance.signers", message: "missing", hint: "")
        }
        var signers: [Address] = []
        for item in signerItems {
            guard case .string(let text) = item else {
                throw governanceTable.error(.wrongType, "signers", "signers holds address strings",
                                            hint: "write signers = [\"0x…\", …]")
            }
            let signer = try governanceTable.parseAddress(text, key: "signers")
            guard !signers.contains(signer) else {
                throw governanceTable.error(.inconsistent, "signers", "signer \(signer) is listed twice",
                                            hint: "list each signer once")
            }
            signers.append(signer)
        }
        guard !signers.isEmpty else {
            throw governanceTable.error(.invalidValue, "signers", "there must be at least one signer",
                                        hint: "list the governance signers' addresses")
        }
        let threshold = try governanceTable.integer("threshold", in: 1...Int64(Int32.max), hint: "add threshold = 2")
        guard threshold <= signers.count else {
            throw governanceTable.error(.inconsistent, "threshold",
                                        "threshold \(threshold) is above the number of signers (\(signers.count))",
                                        hint: "lower the threshold or add signers")
        }
        let governance = Governance(
            signers: signers, threshold: threshold,
            looseningDelay: try governanceTable.duration("loosening_delay", hint: "add loosening_delay = \"24h\"")
        )
        try governanceTable.finish()

        try root.finish()

        return SigningPolicy(
            name: name, version: version, chainID: UInt64(chainID), mode: mode, hub: hub, adapters: adapters,
            allocation: allocation, rate: rate, gas: gas, economics: economics, slippage: slippage,
            proposal: ProposalLimits(maxAge: maxAge, maxFutureSkew: skew, kinds: kinds),
            safeHaven: safeHaven, safeAddress: safeAddress, governance: governance
        )
    }
}
