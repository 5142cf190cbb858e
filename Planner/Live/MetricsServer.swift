import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server for Prometheus scrapes on 127.0.0.1 only: `GET /metrics` answers the rendered
/// metrics, anything else 404 (or 405 for another method). One request per connection, served in turn on a
/// background thread; a client that sends nothing for two seconds is dropped.
public final class MetricsServer: @unchecked Sendable {
    /// The port actually bound (useful with port 0).
    public let port: UInt16
    private let listener: Int32
    private let metrics: PlannerMetrics
    private let stopped = NSLock()
    private var isStopped = false

    /// Binds 127.0.0.1:`port` (0 picks a free port) and starts serving `metrics`.
    public init(port: UInt16, metrics: PlannerMetrics) throws {
        self.metrics = metrics
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LiveError(.state, "cannot create the metrics socket: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let code = errno
            close(fd)
            throw LiveError(.state,
                            "cannot listen on 127.0.0.1:\(port) for metrics: \(String(cString: strerror(code)))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = UInt16(bigEndian: actual.sin_port)
        self.listener = fd
        let thread = Thread { [self] in self.serve() }
        thread.name = "metrics"
        thread.start()
    }

    /// Stops accepting connections.
    public func stop() {
        stopped.lock()
        defer { stopped.unlock() }
        guard !isStopped else { return }
        isStopped = true
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while request.count < 16_384, !Self.headerComplete(request) {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { return }
            request.append(contentsOf: buffer[0..<n])
        }
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ")
        let status: String
        var body: String
        var contentType = "text/plain; charset=utf-8"
        if parts.count < 2 {
            (status, body) = ("400 Bad Request", "bad request\n")
        } else if parts[0] != "GET" {
            (status, body) = ("405 Method Not Allowed", "only GET\n")
        } else if parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?") {
            (status, body) = ("200 OK", metrics.render())
            contentType = "text/plain; version=0.0.4; charset=utf-8"
        } else {
            (status, body) = ("404 Not Found", "metrics are at /metrics\n")
        }
        let bytes = Array(body.utf8)
        let head = "HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(bytes.count)\r\n"
            + "Connection: close\r\n\r\n"
        let response = Array(head.utf8) + bytes
        var sent = 0
        while sent < response.count {
            let n = response[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            sent += n
        }
    }

    private static func headerComplete(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13
            && bytes[i + 3] == 10 { return true }
        return false
    }
}
