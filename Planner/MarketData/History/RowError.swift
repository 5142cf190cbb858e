/// Why one row could not be read; becomes the reason of a `MalformedRow`.
public struct RowError: Error, Sendable, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}
