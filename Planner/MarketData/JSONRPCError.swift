/// Why a JSON-RPC call gave no result. Compared by `code`; transport failures are `HTTPError`s instead.
public struct JSONRPCError: Error, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The node answered with a JSON-RPC error object (`rpcCode`, `message`, `data` carry it).
        case serverError
        /// The body was not a JSON-RPC 2.0 response object (not JSON, truncated, no `jsonrpc: "2.0"`, neither
        /// `result` nor `error`, a result of the wrong JSON type).
        case malformedResponse
        /// The response's id is not the request's.
        case idMismatch
        /// The result is JSON of the right type but not a valid value (bad hex, lengths that disagree, return
        /// data that does not ABI-decode as the function's outputs).
        case invalidResult
        /// The call was refused before sending (out-of-range block count, unsorted percentiles, …).
        case invalidArgument
    }

    public let code: Code
    /// The error object's code, for `.serverError` (-32000 for execution reverted on geth, …).
    public let rpcCode: Int?
    /// The error object's `data` when it is a string (revert data, usually).
    public let data: String?
    public let description: String

    public init(_ code: Code, _ description: String, rpcCode: Int? = nil, data: String? = nil) {
        self.code = code
        self.description = description
        self.rpcCode = rpcCode
        self.data = data
    }

    public static func == (lhs: JSONRPCError, rhs: JSONRPCError) -> Bool { lhs.code == rhs.code }
}
