import Foundation

/// Where the tests' files are: the bundled fixtures, the committed extract, and throwaway directories.
enum FixturePaths {
    /// `Fixtures/` as copied into the test bundle.
    static var fixtures: URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("the Fixtures resource is missing from the test bundle")
        }
        return url
    }

    /// A well-formed data directory in the layout of ../shared/data, a few rows per file.
    static var good: URL { fixtures.appendingPathComponent("good") }

    /// Files with malformed, truncated and hostile rows.
    static func hostile(_ name: String) -> URL { fixtures.appendingPathComponent("hostile/\(name)") }

    /// The package root, found from this file's path.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The committed daily extract.
    static var committedExtract: URL { packageRoot.appendingPathComponent("Planner/history") }

    /// A new empty directory, removed by the caller with `FileManager.removeItem`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("marketdata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
