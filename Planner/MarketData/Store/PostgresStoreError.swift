/// Why the PostgreSQL store could not be opened or written, compared by `code`; `hint` says what to do next.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    /// The closed set of reasons.
    public enum Code: String, Sendable {
        /// The store URL is not `postgres://user[:password]@host[:port]/database[?host=/socket/dir]`.
        case badURL = "bad_url"
        /// No server answered at the URL's address.
        case unreachable
        /// The server answered but refused the login or the database.
        case rejected
        /// A statement failed (schema creation, insert or count).
        case statementFailed = "statement_failed"
        /// The store was used after `close()`.
        case closed
    }

    public let code: Code
    public let message: String
    public let hint: String

    public init(_ code: Code, _ message: String, hint: String) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(message) (\(code.rawValue)); hint: \(hint)" }
}
