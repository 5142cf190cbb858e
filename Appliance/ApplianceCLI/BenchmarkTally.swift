import Foundation

/// Signature counts and the first error, collected from benchmark threads.
///
/// `@unchecked Sendable`: every stored property is read and written only while `lock` is held.
final class BenchmarkTally: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    private var firstError: (any Error)?

    /// Adds one thread's count.
    func add(_ count: Int) {
        lock.lock()
        total += count
        lock.unlock()
    }

    /// Records a thread's error (the first one wins).
    func fail(_ error: any Error) {
        lock.lock()
        if firstError == nil { firstError = error }
        lock.unlock()
    }

    /// The total count.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return total
    }

    /// The first error, if any thread failed.
    var error: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return firstError
    }
}
