/// A raw transaction that is well-formed RLP but not a valid signed transaction of the expected type.
public struct TransactionDecodingError: Error, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
