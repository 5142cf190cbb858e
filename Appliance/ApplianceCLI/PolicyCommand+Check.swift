import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Wire

extension PolicyCommand {
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
}
