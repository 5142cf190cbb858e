import Foundation

/// One HTTP request as the market-data clients send it: a method, a URL, headers, a body and how long to wait.
///
/// The timeout covers the whole exchange (connect, send, the complete response body), so a server that stalls
/// mid-body cannot hold a client for longer than this.
public struct HTTPRequest: Hashable, Sendable {
    public var method: String
    public var url: URL
    /// Header names as sent; the transport adds `Content-Length`.
    public var headers: [String: String]
    public var body: [UInt8]
    public var timeout: Swift.Duration

    public init(
        method: String = "POST",
        url: URL,
        headers: [String: String] = [:],
        body: [UInt8] = [],
        timeout: Swift.Duration = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
