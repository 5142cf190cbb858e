/// A TOML table: keys in document order, each with its value and where it was defined.
///
/// Keys are unique; the parser refuses a second definition of a key, so a table never holds two.
public struct TOMLTable: Hashable, Sendable {
    /// The keys in the order they were defined.
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]
    private var positions: [String: TOMLPosition] = [:]

    public init() {}

    /// The value under `key`, if any.
    public subscript(key: String) -> TOMLValue? { values[key] }

    /// Where `key` was defined, if it was.
    public func position(of key: String) -> TOMLPosition? { positions[key] }

    /// Whether `key` is defined.
    public func contains(_ key: String) -> Bool { values[key] != nil }

    /// Number of keys.
    public var count: Int { keys.count }

    /// Adds `key`; returns false (and changes nothing) when the key is already defined.
    @discardableResult
    public mutating func insert(_ key: String, _ value: TOMLValue, at position: TOMLPosition) -> Bool {
        guard values[key] == nil else { return false }
        keys.append(key)
        values[key] = value
        positions[key] = position
        return true
    }

    /// Replaces the value of an existing key, keeping its place and position.
    mutating func replace(_ key: String, _ value: TOMLValue) {
        if values[key] != nil { values[key] = value }
    }
}
