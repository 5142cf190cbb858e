import Ethereum

/// Reads typed values out of a `TOMLTable` for a loader, remembering which keys it read so that `finish()` can
/// refuse the ones nobody asked for (unknown keys are errors, never ignored).
struct TOMLTableReader {
    let table: TOMLTable
    /// Dotted path of this table (`""` for the root).
    let path: String
    let tablePosition: TOMLPosition?
    private var consumed: Set<String> = []

    init(_ table: TOMLTable, path: String = "", position: TOMLPosition? = nil) {
        self.table = table
        self.path = path
        self.tablePosition = position
    }

    func keyPath(_ key: String) -> String {
        let shown = key.utf8.allSatisfy { b in
            (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 95 || b == 45
        } && !key.isEmpty && !key.hasPrefix("0x") ? key : "\"\(key)\""
        return path.isEmpty ? shown : "\(path).\(shown)"
    }

    func contains(_ key: String) -> Bool { table.contains(key) }

    /// Every key of the table, in document order (and marks them read).
    mutating func allKeys() -> [String] {
        consumed.formUnion(table.keys)
        return table.keys
    }

    func error(_ code: PolicyLoadError.Code, _ key: String, _ message: String, hint: String) -> PolicyLoadError {
        PolicyLoadError(code, keyPath: keyPath(key), message: message, hint: hint,
                        position: table.position(of: key) ?? tablePosition)
    }

    // MARK: - Raw access

    mutating func optionalValue(_ key: String) -> TOMLValue? {
        consumed.insert(key)
        return table[key]
    }

    mutating func value(_ key: String, hint: String) throws(PolicyLoadError) -> TOMLValue {
        guard let value = optionalValue(key) else {
            throw PolicyLoadError(.missingKey, keyPath: keyPath(key), message: "required key is missing",
                                  hint: hint, position: tablePosition)
        }
        return value
    }

    // MARK: - Typed access

    mutating func optionalString(_ key: String) throws(PolicyLoadError) -> String? {
        guard let value = optionalValue(key) else { return nil }
        guard case .string(let text) = value else {
            throw error(.wrongType, key, "expected a string, found \(value.typeDescription)", hint: "quote the value")
        }
        return text
    }

    mutating func string(_ key: String, hint: String) throws(PolicyLoadError) -> String {
        guard let text = try optionalString(key) else {
            _ = try value(key, hint: hint)
            return ""
        }
        return text
    }

    mutating func optionalInteger(_ key: String, in range: ClosedRange<Int64>) throws(PolicyLoadError) -> Int? {
        guard let value = optionalValue(key) else { return nil }
        guard case .integer(let number) = value else {
            throw error(.wrongType, key, "expected an integer, found \(value.typeDescription)",
                        hint: "write a whole number without quotes")
        }
        guard range.contains(number) else {
            throw error(.invalidValue, key, "\(number) is outside \(range.lowerBound)…\(range.upperBound)",
                        hint: "use a value in \(range.lowerBound)…\(range.upperBound)")
        }
        return Int(number)
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int64>, hint: String) throws(PolicyLoadError) -> Int {
        guard let number = try optionalInteger(key, in: range) else {
            _ = try value(key, hint: hint)
            return 0
        }
        return number
    }

    mutating func optionalBool(_ key: String) throws(PolicyLoadError) -> Bool? {
        guard let value = optionalValue(key) else { return nil }
        guard case .boolean(let flag) = value else {
            throw error(.wrongType, key, "expected true or false, found \(value.typeDescription)",
                        hint: "write true or false without quotes")
        }
        return flag
    }

    mutating func optionalArray(_ key: String) throws(PolicyLoadError) -> [TOMLValue]? {
        guard let value = optionalValue(key) else { return nil }
        guard case .array(let items) = value else {
            throw error(.wrongType, key, "expected an array, found \(value.typeDescription)",
                        hint: "write [ … ]")
        }
        return items
    }

    mutating func optionalTable(_ key: String) throws(PolicyLoadError) -> TOMLTableReader? {
        guard let value = optionalValue(key) else { return nil }
        guard case .table(let inner) = value else {
            throw error(.wrongType, key, "expected a table, found \(value.typeDescription)",
                        hint: "write [\(key)] or { … }")
        }
        return TOMLTableReader(inner, path: keyPath(key), position: table.position(of: key))
    }

    mutating func table(_ key: String, hint: String) throws(PolicyLoadError) -> TOMLTableReader {
        guard let reader = try optionalTable(key) else {
            throw PolicyLoadError(.missingKey, keyPath: keyPath(key), message: "required table is missing",
                                  hint: hint, position: tablePosition)
        }
        return reader
    }

    mutating func optionalDuration(_ key: String) throws(PolicyLoadError) -> Duration? {
        guard let text = try optionalString(key) else { return nil }
        guard let duration = Duration(text: text) else {
            throw error(.invalidValue, key, "\"\(text)\" is not a duration",
                        hint: "write a duration such as \"6h\", \"10m\", \"30s\" or \"1h30m\"")
        }
        return duration
    }

    mutating func duration(_ key: String, hint: String) throws(PolicyLoadError) -> Duration {
        guard let duration = try optionalDuration(key) else {
            _ = try value(key, hint: hint)
            return Duration(seconds: 0)
        }
        return duration
    }

    mutating func optionalTimestamp(_ key: String) throws(PolicyLoadError) -> Timestamp? {
        guard let text = try optionalString(key) else { return nil }
        guard let time = Timestamp(rfc3339: text) else {
            throw error(.invalidValue, key, "\"\(text)\" is not an RFC 3339 UTC timestamp",
                        hint: "write a time such as \"2026-11-27T09:00:00Z\"")
        }
        return time
    }

    mutating func timestamp(_ key: String, hint: String) throws(PolicyLoadError) -> Timestamp {
        guard let time = try optionalTimestamp(key) else {
            _ = try value(key, hint: hint)
            return Timestamp(seconds: 0)
        }
        return time
    }

    mutating func optionalAddress(_ key: String) throws(PolicyLoadError) -> Address? {
        guard let text = try optionalString(key) else { return nil }
        return try parseAddress(text, key: key)
    }

    mutating func address(_ key: String, hint: String) throws(PolicyLoadError) -> Address {
        guard let address = try optionalAddress(key) else {
            _ = try value(key, hint: hint)
            return Address.zero
        }
        return address
    }

    func parseAddress(_ text: String, key: String) throws(PolicyLoadError) -> Address {
        do {
            return try Address(hex: text)
        } catch {
            throw self.error(.invalidValue, key, "\"\(text)\" is not an address (\(error))",
                             hint: "write 0x followed by 40 hex digits; mixed case must be the EIP-55 checksum")
        }
    }

    /// Refuses every key that was not read.
    func finish() throws(PolicyLoadError) {
        for key in table.keys where !consumed.contains(key) {
            throw error(.unknownKey, key, "unknown key",
                        hint: "remove it or check its spelling against policy/RULES.md")
        }
    }
}
