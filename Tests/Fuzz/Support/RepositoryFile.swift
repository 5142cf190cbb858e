import Foundation

/// Files of this checkout that harnesses use as fixed context (the demo policy), found from this source file's
/// path: a harness runs from the checkout it was built in.
public enum RepositoryFile {
    /// The checkout's root directory.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The text of `path` (relative to the checkout root); stops the harness if it cannot be read.
    public static func text(_ path: String) -> String {
        let url = root.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            fatalError("cannot read \(url.path): run the harness from the checkout it was built in")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
