/// A protocol error: a stable code to compare on and a message naming the field path for a person
/// (`proposal.targets[1].weight_bps: expected an integer`).
///
/// Compare errors by `code`; the message wording may change.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: WireErrorCode
    public var message: String

    public init(_ code: WireErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
