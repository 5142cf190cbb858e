import Foundation

/// Machine-readable output: one JSON object on one line, keys sorted so output is stable.
enum JSONText {
    /// Encodes `object` (dictionaries, arrays, strings, numbers, booleans).
    static func encode(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
