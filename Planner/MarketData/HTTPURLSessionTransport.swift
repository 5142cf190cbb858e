import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The production transport: Foundation's `URLSession`, ephemeral (no cache, no cookies), one exchange per call.
///
/// The request's timeout is enforced as a deadline on the whole exchange, racing the session task against a sleep,
/// because `URLRequest.timeoutInterval` is only an idle timeout and a server trickling bytes would never trip it.
public struct HTTPURLSessionTransport: HTTPTransport {
    private let session: URLSession
    /// Larger bodies are refused with `.responseTooLarge` rather than handed to a decoder.
    public let maxResponseBytes: Int

    public init(maxResponseBytes: Int = 64 << 20) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration)
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw HTTPError(.invalidRequest, "not an http(s) URL: \(request.url)")
        }
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
        // swift-corelibs-foundation truncates sub-second idle timeouts (0.2 s fires at once), so the idle timeout is
        // only a backstop a second beyond the deadline that `exchange` enforces.
        urlRequest.timeoutInterval = (HTTPTime.seconds(request.timeout)).rounded(.up) + 1
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty || request.method != "GET" { urlRequest.httpBody = Data(request.body) }

        let (data, response) = try await exchange(urlRequest, deadline: request.timeout)
        guard let http = response as? HTTPURLResponse else {
            throw HTTPError(.transport, "not an HTTP response from \(request.url)")
        }
        guard data.count <= maxResponseBytes else {
            throw HTTPError(.responseTooLarge, "\(data.count)-byte response exceeds \(maxResponseBytes)",
                status: http.statusCode)
        }
        var headers = [String: String]()
        for (key, value) in http.allHeaderFields {
            if let name = key as? String, let text = value as? String { headers[name.lowercased()] = text }
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: [UInt8](data))
    }

    private func exchange(_ request: URLRequest, deadline: Swift.Duration) async throws -> (Data, URLResponse) {
        let session = self.session
        return try await withThrowingTaskGroup(of: (Data, URLResponse)?.self) { group in
            group.addTask {
                do {
                    return try await session.data(for: request)
                } catch let error as URLError {
                    throw Self.translate(error, request)
                }
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                try Task.checkCancellation()
                throw HTTPError(.timeout, "no complete response from \(request.url?.host ?? "?") within \(deadline)")
            }
            return result
        }
    }

    private static func translate(_ error: URLError, _ request: URLRequest) -> Error {
        let host = request.url?.host ?? "?"
        switch error.code {
        case .timedOut:
            return HTTPError(.timeout, "request to \(host) timed out")
        case .cancelled:
            return CancellationError()
        case .badURL, .unsupportedURL:
            return HTTPError(.invalidRequest, "cannot send to \(request.url?.absoluteString ?? "?"): \(error.code)")
        default:
            return HTTPError(.transport, "request to \(host) failed: URLError \(error.code.rawValue)")
        }
    }
}
