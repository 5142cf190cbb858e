import Foundation

/// JSON `null` for `JSONSerialization` (a metric that is undefined, such as the Sharpe ratio of a flat curve).
enum NSNullValue {
    static let null = NSNull()
}
