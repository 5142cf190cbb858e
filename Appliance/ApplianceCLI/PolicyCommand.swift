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
}
