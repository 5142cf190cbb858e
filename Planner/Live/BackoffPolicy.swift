import SigningPolicy

/// How long the planner waits after the appliance rejects a proposal before it submits one of that kind again.
///
/// A cooldown rejection waits exactly until the cooldown ends (the appliance's `last_rebalance_at` plus the
/// policy's `rate.cooldown`); any other rejection waits `base`, doubled for each rejection in a row, at most
/// `maximum`. Whatever the reasons, a rejection never leads to an immediate resubmission.
public struct BackoffPolicy: Hashable, Sendable {
    public var base: Duration
    public var maximum: Duration

    public init(base: Duration = Duration(seconds: 900), maximum: Duration = Duration(seconds: 86_400)) {
        self.base = base
        self.maximum = maximum
    }

    /// The back-off after a rejection with `codes` at `now`, following `previous` (nil if none in a row).
    public func after(rejection codes: [ReasonCode], now: Timestamp, lastRebalanceAt: Timestamp?, cooldown: Duration,
                      previous: PlannerStateStore.Backoff?) -> PlannerStateStore.Backoff {
        let consecutive = (previous?.consecutive ?? 0) + 1
        let doublings = Int64(min(consecutive - 1, 20))
        let exponential = min(base.seconds.multipliedReportingOverflow(by: 1 << doublings).partialValue,
                              maximum.seconds)
        var until = now + Duration(seconds: max(1, exponential))
        var reason = codes.map(\.rawValue).joined(separator: ", ")
        if codes.contains(.cooldownActive), let last = lastRebalanceAt {
            let cooldownEnd = last + cooldown
            if cooldownEnd > now {
                // Exactly the cooldown when that is the only reason; otherwise the longer of the two.
                until = codes.allSatisfy({ $0 == .cooldownActive }) ? cooldownEnd : max(until, cooldownEnd)
                reason += " (cooldown ends \(cooldownEnd.rfc3339))"
            }
        }
        return PlannerStateStore.Backoff(until: until, reason: reason, consecutive: consecutive)
    }
}
