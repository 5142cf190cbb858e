import ArgumentParser

/// `appliance bench`: throughput and latency measurements, printed as JSON for scripts.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure signing throughput against the HSM.",
        subcommands: [BenchHSMCommand.self]
    )
}
