#if canImport(Glibc)
import Glibc
#endif

/// A connected or listening Unix stream socket: a file descriptor closed exactly once.
public final class UnixSocket: @unchecked Sendable {
    // @unchecked: the descriptor is only read after init; close() is guarded by a lock.
    /// A socket operation failed (errno and what was being done).
    public struct Failure: Error, CustomStringConvertible {
        public let operation: String
        public let errno: Int32
        public var description: String { "\(operation): \(String(cString: strerror(errno)))" }

        public init(operation: String, errno: Int32) {
            self.operation = operation
            self.errno = errno
        }
    }

    /// Why a read stopped.
    public enum ReadOutcome {
        case data(Int)
        case closed
        case timedOut
    }

    public let fd: Int32
    private let lock = Mutex()
    private var isClosed = false

    public init(fd: Int32) { self.fd = fd }

    deinit { close() }

    /// Creates a listening socket at `path` (an old socket file there is replaced), mode 0660.
    public static func listen(path: String, backlog: Int32 = 128) throws -> UnixSocket {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(operation: "socket", errno: errno) }
        let sock = UnixSocket(fd: fd)
        unlink(path)
        var addr = try address(path)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else { throw Failure(operation: "bind \(path)", errno: errno) }
        chmod(path, 0o660)
        guard Glibc.listen(fd, backlog) == 0 else { throw Failure(operation: "listen", errno: errno) }
        return sock
    }

    /// Connects to the socket at `path`.
    public static func connect(path: String) throws -> UnixSocket {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(operation: "socket", errno: errno) }
        let sock = UnixSocket(fd: fd)
        var addr = try address(path)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else { throw Failure(operation: "connect \(path)", errno: errno) }
        return sock
    }

    static func address(_ path: String) throws -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < capacity else { throw Failure(operation: "socket path too long: \(path)", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return addr
    }

    /// Accepts one connection; nil when interrupted or the listener was closed.
    public func accept() -> UnixSocket? {
        while true {
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 {
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                return UnixSocket(fd: client)
            }
            if errno == EINTR || errno == ECONNABORTED { continue }
            return nil
        }
    }

    /// The connected peer's uid, from `SO_PEERCRED` (the kernel's word, not the peer's).
    public func peerUID() throws -> UInt32 {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } (needs _GNU_SOURCE in C; laid out by hand here).
        var cred: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
        var length = socklen_t(MemoryLayout<(Int32, UInt32, UInt32)>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) == 0, length == 12 else {
            throw Failure(operation: "getsockopt(SO_PEERCRED)", errno: errno)
        }
        return cred.uid
    }

    /// Reads up to `buffer.count` bytes, waiting at most `timeoutMilliseconds`.
    public func read(into buffer: inout [UInt8], timeoutMilliseconds: Int32) throws -> ReadOutcome {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&pfd, 1, timeoutMilliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw Failure(operation: "poll", errno: errno)
            }
            if ready == 0 { return .timedOut }
            break
        }
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 { return .data(n) }
            if n == 0 { return .closed }
            if errno == EINTR { continue }
            if errno == ECONNRESET { return .closed }
            throw Failure(operation: "read", errno: errno)
        }
    }

    /// Writes all of `bytes` (MSG_NOSIGNAL: a vanished peer is an error, not a SIGPIPE).
    public func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(operation: "write", errno: errno)
            }
            offset += n
        }
    }

    /// Sets a send timeout so a peer that stops reading cannot hold a connection thread forever.
    public func setSendTimeout(milliseconds: Int) {
        var tv = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Shuts the socket down for both directions (wakes a blocked accept or read) without closing it.
    public func shutdown() { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }

    /// Closes the descriptor (once).
    public func close() {
        lock.withLock {
            guard !isClosed else { return }
            isClosed = true
            _ = Glibc.close(fd)
        }
    }
}

/// A pthread mutex, for the few places that need a lock around non-Sendable state.
public final class Mutex: @unchecked Sendable {
    // @unchecked: the pthread mutex is the synchronisation.
    private var mutex = pthread_mutex_t()

    public init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
