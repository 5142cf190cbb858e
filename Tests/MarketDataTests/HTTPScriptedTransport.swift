import Foundation
import MarketData

/// A transport without sockets that answers with the given statuses in order (then 200), for tests of the retry
/// arithmetic alone.
final class HTTPScriptedTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: `remaining` is only touched while `lock` is held.
    private let lock = NSLock()
    private var remaining: [Int]

    init(statuses: [Int]) { remaining = statuses }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let status = lock.withLock { remaining.isEmpty ? 200 : remaining.removeFirst() }
        return HTTPResponse(status: status)
    }
}
