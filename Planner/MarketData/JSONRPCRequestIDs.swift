import Foundation

/// Hands out JSON-RPC request ids, 1, 2, 3, … across concurrent calls on one client.
final class JSONRPCRequestIDs: @unchecked Sendable {
    // @unchecked: `last` is only read and written while `lock` is held.
    private let lock = NSLock()
    private var last = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        last = last == .max ? 1 : last + 1
        return last
    }
}
