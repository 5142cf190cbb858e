/// The `SOURCES.md` written beside the daily extract: how it was derived, file by file, followed by the full
/// data directory's own `SOURCES.md` (provenance and licences).
public struct ExtractSourcesDocument: Sendable {
    public let files: [ExtractedFile]
    /// The command that produced the extract, as it should be re-run from the package root.
    public let command: String
    /// The source directory's `SOURCES.md`, if it has one.
    public let originalSources: String?

    public init(files: [ExtractedFile], command: String, originalSources: String?) {
        self.files = files
        self.command = command
        self.originalSources = originalSources
    }

    public var markdown: String {
        var text = """
            # Daily extract of the historical data

            A compact daily extract of `../shared/data`, committed so that `make demo` and the tests run on a fresh
            clone. It has the same layout, file names, headers and columns as the full data, so every command that
            takes `--data DIR` reads it unchanged. Rows are copied byte for byte; only which rows are kept differs:

            - hourly series (`aave/`, `prices/`, `uniswap/`): the last row of each UTC day (Aave and Uniswap by
              their hour column, prices by their millisecond timestamp);
            - `chainlink/`: every round (the file is small); `gas/` and `compound/`: every row (already daily);
            - `incidents/incidents.json`: copied as is;
            - malformed rows are left out (the table counts them, if any).

            Derived with:

                \(command)

            | file | rule | rows read | rows written | first day | last day |
            |---|---|---:|---:|---|---|

            """
        for file in files {
            let first = file.firstDay.map(UTCDate.dayString) ?? "–"
            let last = file.lastDay.map(UTCDate.dayString) ?? "–"
            let malformed = file.read.malformed > 0 ? " (\(file.read.malformed) malformed)" : ""
            text += "| `\(file.relativePath)` | \(file.rule.rawValue) | \(file.read.rowsRead)\(malformed) | "
                + "\(file.rowsWritten) | \(first) | \(last) |\n"
        }
        if let originalSources {
            text += "\n## The full data's own SOURCES.md (provenance and licences)\n\n"
            for line in originalSources.split(separator: "\n", omittingEmptySubsequences: false) {
                text += line.hasPrefix("#") ? "##\(line)\n" : "\(line)\n"
            }
        }
        return text
    }
}
