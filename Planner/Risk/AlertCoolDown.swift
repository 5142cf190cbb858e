import SigningPolicy

/// Merges raw flags into episodes: one alert per market and detector while flags keep coming.
///
/// A flag within `coolDownSeconds` of the previous flag of the same market and detector extends that episode (its
/// `until`, `flags` count and worst severity, with the message of the worst flag); a later flag opens a new one.
public struct AlertCoolDown: Sendable {
    /// The quiet time that ends an episode.
    public var coolDownSeconds: Int64

    public init(coolDownSeconds: Int64 = 24 * 3_600) {
        self.coolDownSeconds = coolDownSeconds
    }

    /// Episodes, sorted by start time, then market and detector.
    public func episodes(_ flags: [Alert]) -> [Alert] {
        let sorted = flags.sorted { ($0.at, $0.market, $0.detector) < ($1.at, $1.market, $1.detector) }
        var open: [String: Int] = [:]
        var result: [Alert] = []
        for flag in sorted {
            let key = flag.market + "\u{0}" + flag.detector
            if let index = open[key], flag.at.seconds - result[index].until.seconds <= coolDownSeconds {
                result[index].until = flag.until
                result[index].flags += flag.flags
                if flag.severity > result[index].severity {
                    result[index].severity = flag.severity
                    result[index].message = flag.message
                }
            } else {
                open[key] = result.count
                result.append(flag)
            }
        }
        return result
    }
}
