import Foundation
import MarketData

/// Wraps a transport and records each attempt's outcome (a status, or the `HTTPError` code it threw), so tests
/// can tell a retry after a timeout from a retry after a 5xx.
final class HTTPRecordingTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: `recorded` is only touched while `lock` is held.
    enum Outcome: Equatable {
        case status(Int)
        case failed(HTTPError.Code)
    }

    private let base: any HTTPTransport
    private let lock = NSLock()
    private var recorded: [Outcome] = []

    init(_ base: any HTTPTransport) { self.base = base }

    var outcomes: [Outcome] { lock.withLock { recorded } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            let response = try await base.send(request)
            lock.withLock { recorded.append(.status(response.status)) }
            return response
        } catch let error as HTTPError {
            lock.withLock { recorded.append(.failed(error.code)) }
            throw error
        }
    }
}
