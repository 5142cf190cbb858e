/// A failure reported by XGBoost's C API, with the library's last error message.
public struct XGBoostClassifierError: Error, CustomStringConvertible, Sendable {
    public let call: String
    public let message: String

    public var description: String { "XGBoost \(call) failed: \(message)" }
}
