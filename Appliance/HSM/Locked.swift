import Foundation

/// A value guarded by a lock, for the few pieces of process-wide mutable state the HSM module keeps
/// (the loaded-module cache, idle session lists, the login registry).
///
/// `@unchecked Sendable`: every access to `value` goes through `withLock`, which holds `lock` for the
/// whole closure, so no two threads ever touch the value at once.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
