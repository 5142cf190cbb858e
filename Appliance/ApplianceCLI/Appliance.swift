import ArgumentParser

/// `appliance`: the trusted signer's command line.
@main
struct Appliance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appliance",
        abstract: "The Rebalancer signing appliance: checks proposals against policy and signs only through an HSM.",
        discussion: """
            Keys live in a PKCS#11 HSM (SoftHSM2 by default, kept under the state directory) and never leave it.
            Start with `appliance init --state DIR --policy FILE`.
            """,
        subcommands: [InitCommand.self, BenchCommand.self]
    )
}
