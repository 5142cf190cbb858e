/// Typed data that does not match its declared types, or a type set that is not well-formed.
public struct EIP712Error: Error, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
