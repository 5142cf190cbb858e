import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import SigningPolicy
import Wire

/// `appliance bundle`: show and verify co-signer bundles (Safe mode) on a machine with no HSM and no state.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Show and verify co-signer bundles (rebalancer/bundle@1).",
        discussion: """
            A bundle is what the appliance hands Safe co-signers for each approved decision: the Safe \
            transaction, the appliance's signature over its SafeTx hash, the decision, the decoded call, and a \
            signature over the whole bundle. Verification needs no HSM and no appliance state.

            Examples:
              appliance bundle show 42-2026-11-27T09-00-a1.json
              appliance bundle verify 42-2026-11-27T09-00-a1.json --appliance-address 0x…
            """,
        subcommands: [Show.self, Verify.self]
    )

    /// Why a bundle does not verify, for a person.
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// Verifies `file`'s bundle, optionally requiring the appliance's address.
    static func verify(file: String, applianceAddress: String?) throws -> Result<BundleVerifier.Verified, Problem> {
        let bytes = try PolicyInputs.bytes(of: file, what: "the bundle")
        let expected: Address?
        if let applianceAddress {
            guard let parsed = try? Address(hex: applianceAddress) else {
                throw CommandFailure("--appliance-address \(applianceAddress) is not an address",
                                     hint: "pass 0x followed by 40 hex digits")
            }
            expected = parsed
        } else {
            expected = nil
        }
        do {
            let verified = try BundleVerifier.verify(bytes)
            if let expected, verified.appliance != expected {
                return .failure(Problem(
                    description: "signed by \(verified.appliance.checksummed), not the expected appliance "
                        + expected.checksummed))
            }
            return .success(verified)
        } catch {
            return .failure(Problem(description: "\(error)"))
        }
    }

    // MARK: - show

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a bundle for a co-signer, and say whether it verifies.",
            discussion: """
                Shows the Safe, nonce, destination and function, each target with its name and weight, the \
                previous targets, the reserve, slippage, the deadline as a time, the decision with its failing \
                and passed rules, and the verification result. Exits 1 when the bundle does not verify.

                Example: appliance bundle show bundles/42-2026-11-27T09-00-a1.json
                """)

        @Argument(help: ArgumentHelp("The bundle file.", valueName: "FILE"))
        var file: String

        @Option(name: .customLong("appliance-address"),
                help: ArgumentHelp("Also require this appliance address.", valueName: "ADDR"))
        var applianceAddress: String?

        func run() throws {
            try CommandFailure.reporting {
                let bytes = try PolicyInputs.bytes(of: file, what: "the bundle")
                guard let json = try? JSONParser.parse(bytes, maxDepth: 8) else {
                    throw CommandFailure("\(file) is not a JSON bundle", hint: "pass a rebalancer/bundle@1 file")
                }
                print(Self.render(json))
                switch try BundleCommand.verify(file: file, applianceAddress: applianceAddress) {
                case .success(let verified):
                    print("verification: VALID — signed by appliance \(verified.appliance.checksummed); "
                          + "SafeTx hash, bundle signature and decoded call all check")
                case .failure(let invalid):
                    print("verification: INVALID — \(invalid.description)")
                    throw CommandFailure("the bundle does not verify: \(invalid.description)",
                                         hint: "do not co-sign; ask the operator for the bundle the appliance wrote")
                }
            }
        }

        static func text(_ value: JSONValue?) -> String {
            switch value {
            case .string(let s)?: s
            case .number(let n)?: n.int64Value.map(String.init) ?? "?"
            case .bool(let b)?: b ? "true" : "false"
            default: "?"
            }
        }

        static func percent(_ value: JSONValue?) -> String {
            guard case .number(let n)? = value, let bps = n.int64Value else { return "?" }
            return "\(bps / 100).\(String(format: "%02lld", bps % 100)) % (\(bps) bps)"
        }

        static func targets(_ value: JSONValue?) -> [String] {
            guard case .array(let items)? = value, !items.isEmpty else { return ["  (none: everything in reserve)"] }
            return items.map { item in
                let name = text(item["name"]).padding(toLength: 24, withPad: " ", startingAt: 0)
                return "  \(name) \(text(item["adapter"]))  \(percent(item["weight_bps"]))"
            }
        }

        static func render(_ json: JSONValue) -> String {
            let tx = json["safe_tx"], decoded = json["decoded"], decision = json["decision"]
            var lines = [
                "bundle \(text(json["format"])) for Safe \(text(json["safe"])) on chain \(text(json["chain_id"]))",
                "Safe nonce:     \(text(tx?["nonce"]))",
                "to:             \(text(tx?["to"])) (value \(text(tx?["value"])), operation "
                    + "\(text(tx?["operation"]) == "0" ? "CALL" : text(tx?["operation"])))",
                "function:       \(text(decoded?["function"]))",
            ]
            if let haven = decoded?["safe_haven"] { lines.append("safe haven:     \(text(haven))") }
            lines.append("targets:")
            lines += targets(decoded?["targets"])
            lines.append("previous targets:")
            lines += targets(decoded?["previous_targets"])
            lines.append("reserve:        \(percent(decoded?["reserve_bps"]))")
            lines.append("max slippage:   \(percent(decoded?["max_slippage_bps"]))")
            if case .number(let n)? = decoded?["deadline"], let seconds = n.int64Value {
                lines.append("deadline:       \(Timestamp(seconds: seconds)) (\(seconds))")
            } else {
                lines.append("deadline:       ?")
            }
            lines.append("decision:       proposal \(text(decision?["proposal_id"])) decided at "
                         + "\(text(decision?["decided_at"])) under policy \(text(decision?["policy_sha256"]))")
            if case .array(let rules)? = decision?["rules"] {
                let failed = rules.filter { $0["passed"] == .bool(false) }.map { text($0["rule"]) }
                let passed = rules.filter { $0["passed"] == .bool(true) }.map { text($0["rule"]) }
                lines.append("rules:          \(passed.count) passed, \(failed.count) failed")
                if !failed.isEmpty { lines.append("  failed: \(failed.joined(separator: ", "))") }
                lines.append("  passed: \(passed.joined(separator: ", "))")
            }
            lines.append("SafeTx hash:    \(text(json["safe_tx_hash"]))")
            lines.append("appliance:      \(text(json["appliance"]?["address"]))")
            lines.append("audit entry:    \(text(json["audit"]?["seq"])) \(text(json["audit"]?["hash"]))")
            return lines.joined(separator: "\n")
        }
    }

    // MARK: - verify

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a bundle; exit 0 only for a valid bundle.",
            discussion: """
                Recomputes the SafeTx hash from safe_tx, recovers the appliance's signature over it and its \
                signature over the whole bundle, decodes safe_tx.data and compares it with `decoded`. Any single \
                changed field fails. With --appliance-address the signer must also be that address.

                Example: appliance bundle verify bundle.json --appliance-address 0x… --json
                """)

        @Argument(help: ArgumentHelp("The bundle file.", valueName: "FILE"))
        var file: String

        @Option(name: .customLong("appliance-address"),
                help: ArgumentHelp("Require the bundle to be signed by this appliance address.", valueName: "ADDR"))
        var applianceAddress: String?

        @Flag(name: .long, help: "Print the result as one JSON object.")
        var json = false

        func run() throws {
            try CommandFailure.reporting {
                switch try BundleCommand.verify(file: file, applianceAddress: applianceAddress) {
                case .success(let v):
                    if json {
                        PolicyInputs.printJSON(.object([
                            "valid": .bool(true), "appliance": .string(v.appliance.checksummed),
                            "safe": .string(v.safe.checksummed), "chain_id": .integer(v.chainID),
                            "safe_tx_hash": .string(Hex.encode(v.safeTxHash)), "function": .string(v.call.functionName),
                        ]))
                    } else {
                        print("bundle valid: SafeTx \(Hex.encode(v.safeTxHash)) for Safe \(v.safe.checksummed) "
                              + "(\(v.call.functionName)) signed by appliance \(v.appliance.checksummed)")
                    }
                case .failure(let invalid):
                    if json {
                        PolicyInputs.printJSON(.object(["valid": .bool(false), "error": .string(invalid.description)]))
                    }
                    throw CommandFailure("the bundle does not verify: \(invalid.description)",
                                         hint: "do not co-sign; ask the operator for the bundle the appliance wrote")
                }
            }
        }
    }
}
