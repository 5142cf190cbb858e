/// Reads one JSON object of a known shape: checks the key set once (unknown keys, then missing keys), then
/// hands out values by key with their paths.
struct ObjectReader {
    let path: FieldPath
    private let members: [JSONValue.Member]

    /// - Parameters:
    ///   - required: keys that must be present (`MISSING_FIELD` otherwise).
    ///   - optional: keys that may be present.
    ///   - ignoringUnknown: accept keys outside both lists (responses, so the server can add fields);
    ///     otherwise they are `UNKNOWN_FIELD`.
    init(
        _ value: JSONValue, at path: FieldPath, required: [String], optional: [String] = [],
        ignoringUnknown: Bool = false
    ) throws(WireError) {
        guard case .object(let members) = value else { throw path.invalid("expected an object") }
        self.path = path
        self.members = members
        if !ignoringUnknown {
            for member in members {
                let known = required.contains { JSONValue.sameKey($0, member.key) }
                    || optional.contains { JSONValue.sameKey($0, member.key) }
                if !known {
                    throw WireError(.unknownField, "\(path.appending(member.key)): unknown field")
                }
            }
        }
        for key in required where self.value(key) == nil {
            throw WireError(.missingField, "\(path.appending(key)): required field is missing")
        }
    }

    /// The value of `key`, or nil when absent.
    func value(_ key: String) -> JSONValue? {
        members.first { JSONValue.sameKey($0.key, key) }?.value
    }

    /// The value of a required key (present: checked in `init`).
    subscript(key: String) -> (value: JSONValue, path: FieldPath) {
        (value(key) ?? .null, path.appending(key))
    }
}
