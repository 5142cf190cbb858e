/// Why an HTTP exchange produced no usable response. Compared by `code` (the description is for people).
public struct HTTPError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// No complete response within the request's timeout.
        case timeout
        /// The connection failed or broke before a complete response arrived.
        case transport
        /// The request could not be sent as given (not an http(s) URL, …).
        case invalidRequest
        /// The final response had a status the client does not accept (a 4xx, or a 5xx that was not retried).
        case unexpectedStatus
        /// Every attempt the retry policy allows failed; `status` / `cause` describe the last one.
        case retriesExhausted
        /// The response body was larger than the transport accepts.
        case responseTooLarge
    }

    public let code: Code
    /// The HTTP status of the response this error is about, if there was one.
    public let status: Int?
    /// For `.retriesExhausted`: what the last attempt failed with (`.timeout`, `.transport`, `.unexpectedStatus`).
    public let cause: Code?
    /// How many attempts were made, for `.retriesExhausted`.
    public let attempts: Int?
    public let description: String

    public init(_ code: Code, _ description: String, status: Int? = nil, cause: Code? = nil, attempts: Int? = nil) {
        self.code = code
        self.description = description
        self.status = status
        self.cause = cause
        self.attempts = attempts
    }

    public static func == (lhs: HTTPError, rhs: HTTPError) -> Bool { lhs.code == rhs.code }
}
