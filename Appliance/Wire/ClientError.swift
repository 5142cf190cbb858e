/// Why an `ApplianceClient` exchange failed. Compare by `code`; the message is for a person.
public struct ClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The closed set of client failures.
    public enum Code: String, Sendable, Equatable {
        /// The socket could not be reached (no such file, refused, permission denied).
        case connect
        /// No complete response arrived in time.
        case timedOut
        /// The appliance closed the connection before (or instead of) a response.
        case closed
        /// The bytes received are not a valid response frame.
        case malformedResponse
        /// Reading or writing the socket failed.
        case io
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
