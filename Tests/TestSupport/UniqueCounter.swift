import Foundation

/// A thread-safe counter, for unique names (token labels, directories) inside one test process.
///
/// `@unchecked Sendable`: `value` is read and written only while `lock` is held.
public final class UniqueCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    public init() {}

    /// The next number, starting at 1.
    public func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
