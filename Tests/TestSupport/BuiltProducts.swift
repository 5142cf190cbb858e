import Foundation

/// Finds executables built alongside the test bundle (the `.build-*/debug` directory), so CLI tests run the
/// `appliance` binary from the same build as the tests, whatever `--scratch-path` was used.
public enum BuiltProducts {
    /// The directory holding the test bundle, hence the package's built products.
    public static var directory: URL {
        // `swift test` runs the test bundle `…/debug/<Package>PackageTests.xctest` (on Linux an executable).
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            let parent = url.deletingLastPathComponent()
            if url.pathExtension == "xctest" { return parent }
            url = parent
        }
        return Bundle.main.bundleURL
    }

    /// The built executable named `name` (for example "appliance"), or nil if it was not built.
    public static func executable(named name: String) -> URL? {
        let candidates = [
            directory.appendingPathComponent(name),
            Bundle.main.bundleURL.appendingPathComponent(name),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
