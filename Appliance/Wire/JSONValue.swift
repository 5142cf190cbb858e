/// A JSON value with object members kept in order, for strict reading (`JSONParser`) and deterministic writing
/// (`serialized()`): the protocol's messages and the co-signer bundle are both built from it.
public enum JSONValue: Hashable, Sendable {
    /// One `"key": value` pair of an object, in document order.
    public struct Member: Hashable, Sendable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// An object from key-value pairs, in the order given. Keys must be distinct (not checked here).
    public static func object(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { Member($0.key, $0.value) })
    }

    /// An integer number.
    public static func integer(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    /// An unsigned integer number.
    public static func integer(_ value: UInt64) -> JSONValue { .number(JSONNumber(value)) }

    /// A string, or `null` when `value` is nil.
    public static func stringOrNull(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// The value of `key` when this is an object holding it (keys compared byte for byte).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { JSONValue.sameKey($0.key, key) }?.value
    }

    /// Whether two keys are the same byte for byte (no Unicode canonical equivalence: `"\u{212A}"` is not
    /// `"K"`), the way other JSON readers compare them.
    static func sameKey(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }

    /// Compact JSON text: no whitespace, members in stored order, strings escaped per RFC 8259. The same value
    /// always yields the same bytes.
    public func serialized() -> String { String(decoding: serializedBytes(), as: UTF8.self) }

    /// `serialized()` as UTF-8 bytes.
    public func serializedBytes() -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.write(self, into: &out)
        return out
    }
}
