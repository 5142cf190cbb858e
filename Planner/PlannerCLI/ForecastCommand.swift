import ArgumentParser

/// `planner forecast`: yield forecasting commands.
struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast each market's supply APY over the next 7 days.",
        subcommands: [ForecastEvaluateCommand.self]
    )
}
