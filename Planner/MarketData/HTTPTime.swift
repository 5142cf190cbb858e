/// Conversions between `Swift.Duration` and seconds as `Double`, shared by the HTTP layers.
enum HTTPTime {
    static func seconds(_ duration: Swift.Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }

    static func duration(seconds: Double) -> Swift.Duration {
        guard seconds.isFinite, seconds > 0 else { return .zero }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
