import Foundation

/// A CSV history file of `Record`s: checks the header, streams the rows, reports malformed rows by line.
///
/// Lines starting with `#` before the header are comments (Chainlink's first line is one). Blank lines are
/// skipped without being counted. Every other line after the header is a row: it becomes a record or a
/// `MalformedRow` (wrong column count, bad cell, invalid UTF-8, too long).
public struct CSVHistoryFile<Record: CSVRecord>: HistorySource {
    public let url: URL
    /// The path used in reports (for example `aave/aave_v3_usdc_eth.csv`).
    public let name: String
    public let maxLineBytes: Int

    public init(url: URL, name: String? = nil, maxLineBytes: Int = 64 * 1024) {
        self.url = url
        self.name = name ?? url.path
        self.maxLineBytes = maxLineBytes
    }

    /// The file name without its extension: the market id, symbol or series name.
    public var stem: String { url.deletingPathExtension().lastPathComponent }

    /// One thing found while reading: a line before the data (comments and header) or a record with its line.
    public enum Event {
        case preamble(TextLine)
        case record(Record, TextLine)
    }

    public func read(_ body: (Record) throws -> Void) throws -> ReadReport {
        try readEvents { event in
            if case .record(let record, _) = event { try body(record) }
        }
    }

    /// Like `read`, but also hands over the lines themselves, so a caller can copy rows byte for byte.
    public func readEvents(_ body: (Event) throws -> Void) throws -> ReadReport {
        var report = ReadReport(file: name)
        var header: [String]?
        var sawLine = false
        let stem = self.stem
        try LineReader(url: url, maxLineBytes: maxLineBytes).forEachLine { line in
            sawLine = true
            guard let columns = header else {
                if line.isTooLong {
                    throw HistoryFileError(.missingHeader, file: name, line: line.number, "the header line is too long")
                }
                if line.bytes.first == UInt8(ascii: "#") {
                    try body(.preamble(line))
                    return
                }
                if line.bytes.isEmpty { return }
                let found: [String]
                do throws(RowError) {
                    found = try CSVFields.split(line.bytes)
                } catch {
                    throw HistoryFileError(.missingHeader, file: name, line: line.number,
                                           "the header cannot be read: \(error.reason)")
                }
                guard Record.accepts(header: found) else {
                    throw HistoryFileError(.unexpectedHeader, file: name, line: line.number,
                                           "expected the header \(Record.columns.joined(separator: ",")), found "
                                           + CSVCell.quoted(found.joined(separator: ",")))
                }
                header = found
                try body(.preamble(line))
                return
            }
            if line.bytes.isEmpty, !line.isTooLong { return }
            report.countRow()
            if line.isTooLong {
                report.skip(line: line.number, reason: "line longer than \(maxLineBytes) bytes")
                return
            }
            let record: Record
            do throws(RowError) {
                let fields = try CSVFields.split(line.bytes)
                guard fields.count == columns.count else {
                    throw RowError("expected \(columns.count) columns, found \(fields.count)")
                }
                record = try Record(fields: fields, stem: stem)
            } catch {
                report.skip(line: line.number, reason: error.reason)
                return
            }
            try body(.record(record, line))
        }
        guard header != nil else {
            if !sawLine {
                throw HistoryFileError(.empty, file: name, line: 0, "the file is empty")
            }
            throw HistoryFileError(.missingHeader, file: name, line: 1, "no header line")
        }
        return report
    }
}
