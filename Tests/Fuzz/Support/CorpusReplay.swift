import Foundation

/// The main of a fuzz harness built without libFuzzer: runs the harness's `LLVMFuzzerTestOneInput` over the files
/// (and the files in the directories) named on the command line, the way `fuzzer DIR` replays a corpus.
///
/// So a plain `swift build` links every harness, and the committed corpus, crash inputs included, can be replayed
/// through the checks without an instrumented build: `.build/debug/fuzz-rlp Tests/Fuzz/corpus/rlp`.
public enum CorpusReplay {
    /// Replays every input named in `CommandLine.arguments`; a failed check traps, as under libFuzzer.
    public static func run(_ testOneInput: (UnsafePointer<UInt8>, Int) -> CInt) {
        let paths = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("-") }
        guard !paths.isEmpty else {
            print("usage: \(CommandLine.arguments[0]) FILE_OR_DIR...")
            print("replays corpus inputs through the harness (a build without libFuzzer; see Tests/Fuzz/README.md)")
            exit(2)
        }
        var count = 0
        for path in paths {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    print("error: cannot read \(file)")
                    exit(1)
                }
                // A non-null pointer even for an empty input, as libFuzzer passes.
                let bytes = [UInt8](data) + [0]
                _ = bytes.withUnsafeBufferPointer { testOneInput($0.baseAddress!, data.count) }
                count += 1
            }
        }
        print("replayed \(count) inputs")
    }

    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            print("error: \(path) does not exist")
            exit(1)
        }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.map { "\(path)/\($0)" }
    }
}

/// A property a harness checks beyond "no crash": when it does not hold, the harness stops with the message, in
/// every build configuration (libFuzzer then saves the input as a crash).
public func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant violated: \(message())") }
}
