/// A failure reported by XGBoost's C API: the call and `XGBGetLastError()`'s message.
public struct XGBoostError: Error, CustomStringConvertible, Sendable {
    public let call: String
    public let message: String

    public var description: String { "XGBoost \(call) failed: \(message)" }
}
