import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Wire

extension PolicyCommand {
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
