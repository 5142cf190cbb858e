import Foundation

/// Writing diagnostics to standard error.
enum StandardError {
    /// Writes `text` to stderr as is.
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
