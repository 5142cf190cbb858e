/// Integer arithmetic that clamps instead of trapping: rule inputs come from an untrusted planner, and a rule
/// must answer (fail closed), never crash the appliance.
enum Saturating {
    static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    static func subtract(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (b < 0 ? .max : .min) : difference
    }

    static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// Seconds from `earlier` to `later` (negative when `later` is before `earlier`).
    static func seconds(from earlier: Timestamp, to later: Timestamp) -> Int64 {
        subtract(later.seconds, earlier.seconds)
    }
}
