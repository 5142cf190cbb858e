import ArgumentParser

/// `planner data`: commands about the history files themselves.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Work with history data directories (layout of ../shared/data).",
        subcommands: [DataExtractCommand.self]
    )
}
