import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real HTTP/1.1 server on 127.0.0.1 (ephemeral port) that answers each request with a scripted response and
/// records what it received, so HTTP clients are tested over real sockets against recorded responses.
///
/// One thread per connection; requests are parsed far enough for GET/POST with `Content-Length` (or chunked)
/// bodies; every response carries `Connection: close`. A response can be delayed before anything is sent, or
/// stall part-way through its body; both waits end early when the client hangs up or the server stops.
public final class ReplayHTTPServer: @unchecked Sendable {
    // @unchecked: `received`, `nextIndex`, `stopped` and `listenFD` are only touched while `lock` is held; the
    // handler is @Sendable.

    /// A scripted response.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        /// Wait this long after reading the request before sending anything.
        public var delay: Swift.Duration
        /// Send this many body bytes, then wait `stallDuration` before the rest.
        public var stallAfterBytes: Int?
        public var stallDuration: Swift.Duration
        /// Declare this `Content-Length` instead of the body's (more than is sent simulates a cut connection).
        public var declaredLength: Int?

        public init(
            status: Int = 200,
            headers: [(name: String, value: String)] = [],
            body: [UInt8] = [],
            delay: Swift.Duration = .zero,
            stallAfterBytes: Int? = nil,
            stallDuration: Swift.Duration = .zero,
            declaredLength: Int? = nil
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.stallAfterBytes = stallAfterBytes
            self.stallDuration = stallDuration
            self.declaredLength = declaredLength
        }

        /// A JSON body with `Content-Type: application/json`.
        public static func json(
            _ text: String, status: Int = 200, headers: [(name: String, value: String)] = [],
            delay: Swift.Duration = .zero
        ) -> Response {
            Response(
                status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8),
                delay: delay)
        }
    }

    /// A request as the server read it.
    public struct Request: Sendable {
        public var method: String
        public var target: String
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: [UInt8]
        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// Chooses the response to the `index`-th request (0-based, in arrival order).
    public typealias Handler = @Sendable (_ request: Request, _ index: Int) -> Response

    public let port: UInt16
    private let handler: Handler
    private let lock = NSLock()
    private var listenFD: Int32
    private var stopped = false
    private var received: [Request] = []
    private var nextIndex = 0

    /// Starts listening; the server runs until `stop()` or deinit.
    public init(handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ReplayHTTPServerError("socket: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw ReplayHTTPServerError("bind/listen: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listenFD = fd
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "ReplayHTTPServer.accept"
        thread.start()
    }

    /// Answers the i-th request with `script[i]`; requests beyond the script get a 500 saying so.
    public convenience init(script: [Response]) throws {
        try self.init { _, index in
            index < script.count
                ? script[index]
                : Response(status: 500, body: Array("replay script exhausted at request \(index)".utf8))
        }
    }

    deinit { stop() }

    /// The base URL, `http://127.0.0.1:<port>/`.
    public var url: URL { URL(string: "http://127.0.0.1:\(port)/")! }

    /// `http://127.0.0.1:<port>/<path>`.
    public func url(path: String) -> URL { URL(string: "http://127.0.0.1:\(port)/\(path)")! }

    /// Every request read so far, in arrival order.
    public var requests: [Request] { lock.withLock { received } }

    /// Stops accepting; connections in progress end at their next wait or write.
    public func stop() {
        let fd: Int32 = lock.withLock {
            guard !stopped else { return -1 }
            stopped = true
            return listenFD
        }
        guard fd >= 0 else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop(_ fd: Int32) {
        while !isStopped {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in
                serve(client)
                close(client)
            }
            thread.name = "ReplayHTTPServer.connection"
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        guard let request = readRequest(fd) else { return }
        let index: Int = lock.withLock {
            received.append(request)
            defer { nextIndex += 1 }
            return nextIndex
        }
        let response = handler(request, index)
        guard wait(response.delay, fd) else { return }
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for header in response.headers { head += "\(header.name): \(header.value)\r\n" }
        head += "Content-Length: \(response.declaredLength ?? response.body.count)\r\nConnection: close\r\n\r\n"
        guard write(fd, Array(head.utf8)) else { return }
        if let cut = response.stallAfterBytes, cut < response.body.count {
            guard write(fd, Array(response.body[..<cut])), wait(response.stallDuration, fd) else { return }
            guard write(fd, Array(response.body[cut...])) else { return }
        } else {
            guard write(fd, response.body) else { return }
        }
        shutdown(fd, Int32(SHUT_WR))
        // Let the client read to the end before the socket closes (a close with unread input would reset it).
        var scratch = [UInt8](repeating: 0, count: 512)
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        for _ in 0..<50 where poll(&pfd, 1, 20) > 0 {
            if recv(fd, &scratch, scratch.count, 0) <= 0 { break }
        }
    }

    // MARK: Reading

    private func readRequest(_ fd: Int32) -> Request? {
        var buffer = [UInt8]()
        let terminator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int? = nil
        while headerEnd == nil {
            guard buffer.count < 64 << 10, let chunk = readSome(fd) else { return nil }
            buffer += chunk
            headerEnd = Self.find(terminator, in: buffer)
        }
        let headText = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers = [String: String]()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        if headers["expect"]?.lowercased() == "100-continue" {
            guard write(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return nil }
        }
        var rest = Array(buffer[(headerEnd! + 4)...])
        let body: [UInt8]
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            guard let decoded = readChunked(fd, &rest) else { return nil }
            body = decoded
        } else {
            let length = Int(headers["content-length"] ?? "0") ?? 0
            guard length <= 16 << 20 else { return nil }
            while rest.count < length {
                guard let chunk = readSome(fd) else { return nil }
                rest += chunk
            }
            body = Array(rest.prefix(length))
        }
        return Request(
            method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    private func readChunked(_ fd: Int32, _ buffer: inout [UInt8]) -> [UInt8]? {
        var body = [UInt8]()
        while true {
            var lineEnd = Self.find([13, 10], in: buffer)
            while lineEnd == nil {
                guard buffer.count < 1 << 20, let chunk = readSome(fd) else { return nil }
                buffer += chunk
                lineEnd = Self.find([13, 10], in: buffer)
            }
            let sizeText = String(decoding: buffer[..<lineEnd!], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size <= 16 << 20 else {
                return nil
            }
            buffer.removeFirst(lineEnd! + 2)
            while buffer.count < size + 2 {
                guard let chunk = readSome(fd) else { return nil }
                buffer += chunk
            }
            if size == 0 { return body }
            body += buffer[..<size]
            buffer.removeFirst(size + 2)
        }
    }

    private func readSome(_ fd: Int32) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        // A client that sends nothing for 10 s is abandoned, so a stuck test cannot leak a thread forever.
        guard poll(&pfd, 1, 10_000) > 0 else { return nil }
        let n = recv(fd, &chunk, chunk.count, 0)
        guard n > 0 else { return nil }
        return Array(chunk[..<n])
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<i + needle.count].elementsEqual(needle) {
            return i
        }
        return nil
    }

    // MARK: Writing and waiting

    private func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Waits `duration`; false if the client hung up or the server stopped first.
    private func wait(_ duration: Swift.Duration, _ fd: Int32) -> Bool {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            if isStopped { return false }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 10) > 0 {
                var byte: UInt8 = 0
                if recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) == 0 { return false }
                if pfd.revents & Int16(POLLHUP | POLLERR) != 0 { return false }
            }
        }
        return true
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status"
        }
    }
}
