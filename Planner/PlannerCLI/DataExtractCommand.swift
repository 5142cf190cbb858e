import ArgumentParser
import Foundation
import MarketData

/// `planner data extract`: derive the committed daily extract (`Planner/history`) from a full data directory.
struct DataExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Write a compact daily extract of a data directory, in the same layout.",
        discussion: """
            Keeps the last row of each UTC day of the hourly series (Aave, prices, Uniswap), every row of the
            daily ones (gas, Compound) and of Chainlink, and copies the incident list. File names, headers and
            columns are unchanged, so `--data OUT` works wherever `--data SOURCE` does. Writes OUT/SOURCES.md
            describing the derivation.

            Example (from the package root):
              planner data extract --source ../shared/data --out Planner/history
            """)

    @Option(help: ArgumentHelp("The full data directory.", valueName: "DIR"))
    var source: String

    @Option(help: ArgumentHelp("Where to write the extract.", valueName: "DIR"))
    var out: String

    @Flag(help: "Print what was written as JSON.")
    var json = false

    func run() throws {
        let sourceURL = URL(fileURLWithPath: source)
        let outURL = URL(fileURLWithPath: out)
        guard sourceURL.standardizedFileURL.path != outURL.standardizedFileURL.path else {
            PlannerFailure("--source and --out are the same directory", hint: "write the extract somewhere else")
                .exit()
        }
        let files: [ExtractedFile]
        do {
            try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)
            files = try DailyExtract(source: HistoryDirectory(root: sourceURL), output: outURL).run()
        } catch let error as HistoryFileError {
            PlannerFailure("\(error)", hint: "check that --source is laid out like ../shared/data").exit()
        } catch {
            PlannerFailure("cannot write the extract: \(error)", hint: "check that --out is writable").exit()
        }
        let original = try? String(contentsOf: sourceURL.appendingPathComponent("SOURCES.md"), encoding: .utf8)
        let document = ExtractSourcesDocument(
            files: files, command: "planner data extract --source \(source) --out \(out)", originalSources: original)
        do {
            try Data(document.markdown.utf8).write(to: outURL.appendingPathComponent("SOURCES.md"), options: .atomic)
        } catch {
            PlannerFailure("cannot write SOURCES.md: \(error)", hint: "check that --out is writable").exit()
        }
        if json {
            let rows: [[String: Any]] = files.map { file in
                ["file": file.relativePath, "rule": file.rule.rawValue, "rows_read": file.read.rowsRead,
                 "malformed": file.read.malformed, "rows_written": file.rowsWritten,
                 "first_day": file.firstDay.map(UTCDate.dayString) ?? NSNull(),
                 "last_day": file.lastDay.map(UTCDate.dayString) ?? NSNull()]
            }
            print(JSONText.serialize(["out": out, "files": rows]))
        } else {
            for file in files {
                let malformed = file.read.malformed > 0 ? ", \(file.read.malformed) malformed" : ""
                print("\(file.relativePath): \(file.read.rowsRead) rows read, \(file.rowsWritten) written "
                      + "(\(file.rule.rawValue))\(malformed)")
                for example in file.read.examples { print("  \(example)") }
            }
        }
    }
}
