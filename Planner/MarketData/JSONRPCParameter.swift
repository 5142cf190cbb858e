/// A JSON value passed in a JSON-RPC request's `params`.
public indirect enum JSONRPCParameter: Hashable, Sendable, Encodable {
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    case array([JSONRPCParameter])
    case object([String: JSONRPCParameter])
    case null

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .string(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .integer(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .double(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .bool(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .array(let values):
            var c = encoder.unkeyedContainer()
            for value in values { try c.encode(value) }
        case .object(let members):
            try members.encode(to: encoder)
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        }
    }
}
