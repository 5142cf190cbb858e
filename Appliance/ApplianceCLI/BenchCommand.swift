import ArgumentParser

/// `appliance bench`: throughput and latency measurements, printed as JSON for scripts.
///
/// With no subcommand it runs `pipeline` (the whole decision pipeline through the socket server); `hsm` measures
/// the signing path alone.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure decision throughput and latency, and signing throughput against the HSM.",
        subcommands: [BenchPipelineCommand.self, BenchHSMCommand.self],
        defaultSubcommand: BenchPipelineCommand.self
    )
}
