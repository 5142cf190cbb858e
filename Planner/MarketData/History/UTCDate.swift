import SigningPolicy

/// Parses the date and time spellings the history files use into a `Timestamp` (UTC, whole seconds).
///
/// Each parser accepts exactly one spelling and returns nil for anything else, so a malformed cell is reported
/// rather than guessed at.
public enum UTCDate {
    /// `YYYY-MM-DD HH:MM:SS`, optionally followed by `+00:00` (Aave `datetime_utc`, Uniswap `hour`,
    /// Chainlink `dateTimeAt`).
    public static func parseDateTime(_ text: some StringProtocol) -> Timestamp? {
        let u = Array(text.utf8)
        guard u.count == 19 || (u.count == 25 && Array(u[19...]) == Array("+00:00".utf8)),
              u[4] == dash, u[7] == dash, u[10] == UInt8(ascii: " "), u[13] == colon, u[16] == colon,
              let year = number(u, 0..<4), let month = number(u, 5..<7), let day = number(u, 8..<10),
              let hour = number(u, 11..<13), let minute = number(u, 14..<16), let second = number(u, 17..<19),
              hour < 24, minute < 60, second < 60,
              let days = days(year: year, month: month, day: day)
        else { return nil }
        return Timestamp(seconds: days * 86_400 + hour * 3_600 + minute * 60 + second)
    }

    /// `YYYY-MM-DD` (Compound `date`).
    public static func parseISODate(_ text: some StringProtocol) -> Timestamp? {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == dash, u[7] == dash,
              let year = number(u, 0..<4), let month = number(u, 5..<7), let day = number(u, 8..<10),
              let days = days(year: year, month: month, day: day)
        else { return nil }
        return Timestamp(seconds: days * 86_400)
    }

    /// `YYYYMMDD` (incident `date`).
    public static func parseCompactDate(_ text: some StringProtocol) -> Timestamp? {
        let u = Array(text.utf8)
        guard u.count == 8, let year = number(u, 0..<4), let month = number(u, 4..<6), let day = number(u, 6..<8),
              let days = days(year: year, month: month, day: day)
        else { return nil }
        return Timestamp(seconds: days * 86_400)
    }

    /// `M/D/YYYY` (Etherscan `Date(UTC)`).
    public static func parseUSDate(_ text: some StringProtocol) -> Timestamp? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...2).contains(parts[0].utf8.count), (1...2).contains(parts[1].utf8.count),
              parts[2].utf8.count == 4,
              let month = number(Array(parts[0].utf8), 0..<parts[0].utf8.count),
              let day = number(Array(parts[1].utf8), 0..<parts[1].utf8.count),
              let year = number(Array(parts[2].utf8), 0..<4),
              let days = days(year: year, month: month, day: day)
        else { return nil }
        return Timestamp(seconds: days * 86_400)
    }

    /// The start of the UTC day holding `time`.
    public static func startOfDay(_ time: Timestamp) -> Timestamp {
        let s = time.seconds
        let days = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        return Timestamp(seconds: days * 86_400)
    }

    /// `YYYY-MM-DD` of the UTC day holding `time`.
    public static func dayString(_ time: Timestamp) -> String {
        String(time.rfc3339.prefix(10))
    }

    private static let dash = UInt8(ascii: "-")
    private static let colon = UInt8(ascii: ":")

    private static func number(_ u: [UInt8], _ range: Range<Int>) -> Int64? {
        guard !range.isEmpty else { return nil }
        var value: Int64 = 0
        for i in range {
            guard u[i] >= UInt8(ascii: "0"), u[i] <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(u[i] - UInt8(ascii: "0"))
        }
        return value
    }

    /// Days since 1970-01-01 for a valid civil date (Howard Hinnant's algorithm), nil for an invalid one.
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64? {
        guard (1...12).contains(month), day >= 1 else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let length: Int64 = switch month {
        case 2: leap ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
        guard day <= length else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
