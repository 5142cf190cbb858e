/// Which block a read is evaluated at: a tag or a number.
public enum JSONRPCBlockTag: Hashable, Sendable {
    case latest
    case safe
    case finalized
    case pending
    case earliest
    case number(UInt64)

    /// The JSON-RPC spelling: the tag name, or the number as a hex quantity.
    public var parameter: String {
        switch self {
        case .latest: return "latest"
        case .safe: return "safe"
        case .finalized: return "finalized"
        case .pending: return "pending"
        case .earliest: return "earliest"
        case .number(let n): return "0x" + String(n, radix: 16)
        }
    }
}
