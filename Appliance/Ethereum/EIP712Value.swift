import BigInt

extension EIP712 {
    /// A JSON-like value for EIP-712 messages and domains. Addresses, bytes and (optionally) large numbers are
    /// written as strings, the way wallets exchange typed data.
    public indirect enum Value: Hashable, Sendable {
        case null
        case bool(Bool)
        case number(BigInt)
        case string(String)
        case array([Value])
        case object([String: Value])
    }
}
