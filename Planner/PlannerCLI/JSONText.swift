import Foundation

/// Serializes command output for `--json`: keys sorted, so the output is stable for scripts and diffs.
enum JSONText {
    static func serialize(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
