import ArgumentParser
import Foundation

/// `planner`: the untrusted side. It proposes; the appliance decides.
@main
struct Planner: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planner",
        abstract: "The Rebalancer planner: proposes target allocations to the signing appliance.",
        discussion: """
            The planner is untrusted by design: whatever it sends, the appliance checks against its policy and
            signs only what the policy allows. Market data, forecasting, risk and allocation commands arrive with
            the planner issues; `propose` sends one proposal by hand.
            """,
        subcommands: [ProposeCommand.self, IngestCommand.self, DataCommand.self, BenchCommand.self,
                      ForecastCommand.self, AnomaliesCommand.self, RiskCommand.self, BacktestCommand.self,
                      RunCommand.self, TrainCommand.self]
    )
}

/// A failure to report as `error:` and `hint:` lines, exiting 1.
struct PlannerFailure: Error, CustomStringConvertible {
    let message: String
    let hint: String
    var description: String { "error: \(message)\nhint: \(hint)" }

    init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }

    /// Prints the two lines on standard error and exits 1.
    func exit() -> Never {
        FileHandle.standardError.write(Data((description + "\n").utf8))
        Foundation.exit(1)
    }
}
