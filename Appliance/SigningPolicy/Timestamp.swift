/// A point in time, whole seconds since the Unix epoch (UTC). Written as RFC 3339 with a trailing `Z`.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }

    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp { Timestamp(seconds: lhs.seconds + rhs.seconds) }
    public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp { Timestamp(seconds: lhs.seconds - rhs.seconds) }
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration { Duration(seconds: lhs.seconds - rhs.seconds) }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SSZ` (UTC, seconds, no fraction, no offset). Anything else is nil.
    public init?(rfc3339 text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 20, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"),
              u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"), u[19] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for i in range {
                guard u[i] >= UInt8(ascii: "0"), u[i] <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(u[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        self.seconds = days * 86_400 + hour * 3_600 + minute * 60 + second
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var rfc3339: String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (y, m, d) = Timestamp.civilFromDays(days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rest / 3_600, 2)):\(pad(rest % 3_600 / 60, 2)):"
            + "\(pad(rest % 60, 2))Z"
    }

    public var description: String { rfc3339 }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days-from-civil and civil-from-days.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// A length of time in whole seconds, written in policies as `"6h"`, `"10m"`, `"30s"`, `"1d"` (or combined, `"1h30m"`).
public struct Duration: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (lhs: Duration, rhs: Duration) -> Bool { lhs.seconds < rhs.seconds }

    /// Parses `"<n>d<n>h<n>m<n>s"` with at least one part, units in that order, each at most once.
    public init?(text: some StringProtocol) {
        var total: Int64 = 0
        var current: Int64? = nil
        var lastUnit = -1
        let units: [Character: (Int, Int64)] = ["d": (0, 86_400), "h": (1, 3_600), "m": (2, 60), "s": (3, 1)]
        for ch in text {
            if let digit = ch.wholeNumberValue, ch.isASCII {
                let (next, overflow) = (current ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow, next <= 1_000_000_000 else { return nil }
                current = next + Int64(digit)
            } else if let (order, scale) = units[ch], let value = current, order > lastUnit {
                total += value * scale
                current = nil
                lastUnit = order
            } else {
                return nil
            }
        }
        guard current == nil, lastUnit >= 0 else { return nil }
        self.seconds = total
    }

    public var description: String {
        if seconds == 0 { return "0s" }
        var out = ""
        var rest = seconds
        for (unit, scale) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= scale {
            out += "\(rest / scale)\(unit)"
            rest %= scale
        }
        return out
    }
}
