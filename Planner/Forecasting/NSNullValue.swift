import Foundation

/// JSON null for a metric that is undefined (no rows), as `JSONSerialization` writes it.
enum NSNullValue {
    static var null: Any { NSNull() }
}
