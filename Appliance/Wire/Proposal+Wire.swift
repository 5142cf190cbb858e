import BigInt
import Ethereum
import SigningPolicy

extension Proposal {
    /// The proposal in the pinned wire shape of DESIGN.md, keys in the documented order. `evidence` is always
    /// written (as `{}` when empty).
    public var jsonValue: JSONValue {
        .object([
            "id": .string(id),
            "created_at": .string(createdAt.rfc3339),
            "chain_id": .integer(chainID),
            "kind": .string(kind.rawValue),
            "targets": .array(targets.map { .object(["adapter": .string($0.adapter.checksummed),
                                                     "weight_bps": .integer($0.weightBps)]) }),
            "reserve_bps": .integer(reserveBps),
            "max_slippage_bps": .integer(maxSlippageBps),
            "gas": .object([
                "max_fee_per_gas": .string(String(gas.maxFeePerGas)),
                "max_priority_fee_per_gas": .string(String(gas.maxPriorityFeePerGas)),
                "gas_limit": .integer(gas.gasLimit),
            ]),
            "expected": .object([
                "apy_gain_bps": .integer(expected.apyGainBps),
                "gas_cost_bps": .integer(expected.gasCostBps),
                "max_risk_score": .integer(expected.maxRiskScore),
            ]),
            "evidence": .object(evidence.map { JSONValue.Member($0.key, .string($0.value)) }),
        ])
    }

    /// Reads a proposal strictly from its wire shape (every rule of DESIGN.md "Wire protocol" and the bounds
    /// of `WireLimits`). `evidence` is optional and defaults to empty; every other key is required.
    public init(json: JSONValue) throws(WireError) {
        try self.init(json: json, at: .root)
    }

    init(json: JSONValue, at path: FieldPath) throws(WireError) {
        let o = try ObjectReader(
            json, at: path,
            required: ["id", "created_at", "chain_id", "kind", "targets", "reserve_bps", "max_slippage_bps", "gas",
                       "expected"],
            optional: ["evidence"])

        let (idValue, idPath) = o["id"]
        let id = try idValue.string(at: idPath)
        guard WireLimits.isValidProposalID(id) else {
            throw idPath.invalid("expected 1…64 characters of [A-Za-z0-9._-]")
        }
        let createdAt = try o["created_at"].value.timestamp(at: o["created_at"].path)
        let chainID = try o["chain_id"].value.uint64(at: o["chain_id"].path, in: 1...UInt64(Int64.max))
        let (kindValue, kindPath) = o["kind"]
        guard let kind = Kind(rawValue: try kindValue.string(at: kindPath)) else {
            throw kindPath.invalid("expected \"rebalance\" or \"emergency_exit\"")
        }

        let targetsPath = o["targets"].path
        var targets: [Target] = []
        for (i, element) in try o["targets"].value.array(at: targetsPath, maxCount: WireLimits.maxTargets)
            .enumerated()
        {
            let t = try ObjectReader(element, at: targetsPath.appending(index: i), required: ["adapter", "weight_bps"])
            targets.append(Target(
                adapter: try t["adapter"].value.address(at: t["adapter"].path),
                weightBps: try t["weight_bps"].value.int(at: t["weight_bps"].path, in: 0...WireLimits.maxBps)))
        }

        let reserveBps = try o["reserve_bps"].value.int(at: o["reserve_bps"].path, in: 0...WireLimits.maxBps)
        let maxSlippageBps = try o["max_slippage_bps"].value.int(
            at: o["max_slippage_bps"].path, in: 0...WireLimits.maxBps)

        let g = try ObjectReader(
            o["gas"].value, at: o["gas"].path,
            required: ["max_fee_per_gas", "max_priority_fee_per_gas", "gas_limit"])
        let gas = Gas(
            maxFeePerGas: try g["max_fee_per_gas"].value.wei(at: g["max_fee_per_gas"].path),
            maxPriorityFeePerGas: try g["max_priority_fee_per_gas"].value.wei(at: g["max_priority_fee_per_gas"].path),
            gasLimit: try g["gas_limit"].value.uint64(at: g["gas_limit"].path, in: 0...UInt64(Int64.max)))

        let e = try ObjectReader(
            o["expected"].value, at: o["expected"].path, required: ["apy_gain_bps", "gas_cost_bps", "max_risk_score"])
        let bound = WireLimits.maxExpectedBps
        let expected = Expected(
            apyGainBps: try e["apy_gain_bps"].value.int(at: e["apy_gain_bps"].path, in: -bound...bound),
            gasCostBps: try e["gas_cost_bps"].value.int(at: e["gas_cost_bps"].path, in: 0...bound),
            maxRiskScore: try e["max_risk_score"].value.int(
                at: e["max_risk_score"].path, in: 0...WireLimits.maxRiskScore))

        var evidence: [Evidence] = []
        if let evidenceValue = o.value("evidence") {
            let evidencePath = path.appending("evidence")
            guard case .object(let members) = evidenceValue else { throw evidencePath.invalid("expected an object") }
            guard members.count <= WireLimits.maxEvidencePairs else {
                throw evidencePath.invalid("expected at most \(WireLimits.maxEvidencePairs) pairs")
            }
            for member in members {
                let keyLength = member.key.unicodeScalars.count
                guard keyLength >= 1, keyLength <= WireLimits.maxEvidenceKeyLength else {
                    throw evidencePath.invalid("keys are 1…\(WireLimits.maxEvidenceKeyLength) characters")
                }
                let value = try member.value.string(
                    at: evidencePath.appending(member.key), scalars: 0...WireLimits.maxEvidenceValueLength)
                evidence.append(Evidence(key: member.key, value: value))
            }
        }

        self.init(
            id: id, createdAt: createdAt, chainID: chainID, kind: kind, targets: targets, reserveBps: reserveBps,
            maxSlippageBps: maxSlippageBps, gas: gas, expected: expected, evidence: evidence)
    }
}
