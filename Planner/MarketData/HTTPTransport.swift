/// Sends one HTTP request and returns the complete response: the single seam between the market-data clients and
/// the network (URLSession in production, a retrying wrapper around it, or anything a test supplies).
///
/// A transport returns every response it receives, whatever the status; it throws `HTTPError` only when no
/// complete response arrived (`.timeout`, `.transport`) or, for wrappers, when they gave up (`.retriesExhausted`).
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
