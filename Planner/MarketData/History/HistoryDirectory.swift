import Foundation

/// A directory laid out like `../shared/data` (`aave/`, `chainlink/`, `prices/`, `uniswap/`, `gas/`,
/// `compound/`, `incidents/`), or the project's daily extract in `Planner/history`, which has the same layout.
public struct HistoryDirectory: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// The history files the layout knows, sorted by path; `ignored` lists the other files found.
    public func files() throws -> (files: [HistoryFile], ignored: [String]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HistoryFileError(.unreadable, file: root.path, line: 0, "not a directory")
        }
        var files: [HistoryFile] = []
        var ignored: [String] = []
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        for folder in folders {
            let folderURL = root.appendingPathComponent(folder)
            var folderIsDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folderURL.path, isDirectory: &folderIsDirectory),
                  folderIsDirectory.boolValue
            else {
                if folder != "SOURCES.md" { ignored.append(folder) }
                continue
            }
            for name in try FileManager.default.contentsOfDirectory(atPath: folderURL.path).sorted() {
                let relative = "\(folder)/\(name)"
                if let kind = HistoryKind(relativePath: relative) {
                    files.append(HistoryFile(url: folderURL.appendingPathComponent(name), relativePath: relative,
                                             kind: kind))
                } else {
                    ignored.append(relative)
                }
            }
        }
        return (files, ignored)
    }
}
