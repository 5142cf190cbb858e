/// Why a subgraph query gave no snapshots. Compared by `code`; transport failures are `HTTPError`s instead.
public struct SubgraphError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The response carried a GraphQL `errors` array (`messages` has them).
        case graphQLErrors
        /// The body was not JSON, or not the shape the query asks for (missing field, wrong type, bad number).
        case malformedResponse
        /// A page broke the query's contract: another market, timestamps not strictly after the cursor and
        /// increasing, or more rows than asked for.
        case inconsistentPage
    }

    public let code: Code
    /// The GraphQL error messages, for `.graphQLErrors`.
    public let messages: [String]
    public let description: String

    public init(_ code: Code, _ description: String, messages: [String] = []) {
        self.code = code
        self.description = description
        self.messages = messages
    }

    public static func == (lhs: SubgraphError, rhs: SubgraphError) -> Bool { lhs.code == rhs.code }
}
