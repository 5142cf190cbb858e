import Foundation
import SigningPolicy

/// `incidents/incidents.json`: a JSON array of incident objects.
///
/// Each top-level entry is located (with the line it starts on) and decoded on its own, so a malformed entry is
/// reported with its line and skipped while the rest are read. The file is read whole; it is small (≈ 200 kB)
/// and capped at `maxBytes`.
public struct IncidentFile: HistorySource {
    public let url: URL
    public let name: String
    public let maxBytes: Int

    public init(url: URL, name: String? = nil, maxBytes: Int = 64 << 20) {
        self.url = url
        self.name = name ?? url.path
        self.maxBytes = maxBytes
    }

    public func read(_ body: (Incident) throws -> Void) throws -> ReadReport {
        try readEntries { incident, _ in try body(incident) }
    }

    /// Like `read`, also handing over each entry's bytes as found in the file.
    public func readEntries(_ body: (Incident, ArraySlice<UInt8>) throws -> Void) throws -> ReadReport {
        let bytes = try load()
        var report = ReadReport(file: name)
        var seen: [String: Int] = [:]
        try JSONArrayScanner.forEachEntry(in: bytes, file: name) { entry in
            report.countRow()
            switch entry {
            case .malformed(let line, let reason):
                report.skip(line: line, reason: reason)
            case .entry(let line, let slice):
                var incident: Incident
                do throws(RowError) {
                    incident = try Self.decode(slice)
                } catch {
                    report.skip(line: line, reason: error.reason)
                    return
                }
                let key = incident.contentKey
                let occurrence = (seen[key] ?? 0) + 1
                seen[key] = occurrence
                incident.occurrence = occurrence
                try body(incident, slice)
            }
        }
        return report
    }

    private func load() throws -> [UInt8] {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let size = attributes?[.size] as? Int else {
            throw HistoryFileError(.unreadable, file: name, line: 0, "cannot open the file")
        }
        guard size <= maxBytes else {
            throw HistoryFileError(.tooLarge, file: name, line: 0, "\(size) bytes, more than \(maxBytes)")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw HistoryFileError(.unreadable, file: name, line: 0, "cannot read the file")
        }
        guard !data.isEmpty else { throw HistoryFileError(.empty, file: name, line: 0, "the file is empty") }
        return Array(data)
    }

    /// Decodes one entry: `date` (YYYYMMDD), `name` and `type` are required non-empty strings, `Lost` a
    /// non-negative number or null, `lossType`, `Contract` and `chain` strings (empty if absent or null; one entry
    /// has a null chain). Other keys are ignored.
    static func decode(_ slice: ArraySlice<UInt8>) throws(RowError) -> Incident {
        guard String(validating: slice, as: UTF8.self) != nil else { throw RowError("invalid UTF-8") }
        let entry: Entry
        do {
            entry = try JSONDecoder().decode(Entry.self, from: Data(slice))
        } catch DecodingError.keyNotFound(let key, _) {
            throw RowError("\(key.stringValue): missing")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw RowError("\(context.codingPath.last?.stringValue ?? "entry"): wrong type")
        } catch {
            throw RowError("invalid JSON")
        }
        guard let date = UTCDate.parseCompactDate(entry.date) else {
            throw RowError("date: not YYYYMMDD: \(CSVCell.quoted(entry.date))")
        }
        for (key, value) in [("name", entry.name), ("type", entry.type)] where value.isEmpty {
            throw RowError("\(key): empty")
        }
        if let lost = entry.Lost, !(lost.isFinite && lost >= 0) { throw RowError("Lost: not a loss: \(lost)") }
        return Incident(date: date, name: entry.name, attackType: entry.type, lost: entry.Lost,
                        lossType: entry.lossType ?? "", contract: entry.Contract ?? "", chain: entry.chain ?? "")
    }

    /// The entry as the file spells it.
    private struct Entry: Decodable {
        var date: String
        var name: String
        var type: String
        var Lost: Double?
        var lossType: String?
        var Contract: String?
        var chain: String?
    }
}
