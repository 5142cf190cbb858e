import Live
import SigningPolicy
import Testing

struct BackoffPolicyTests {
    let now = Timestamp(seconds: 1_800_000_000)
    let cooldown = Duration(seconds: 6 * 3_600)

    @Test func cooldownRejectionWaitsExactlyUntilTheCooldownEnds() {
        let last = now - Duration(seconds: 600)
        let backoff = BackoffPolicy().after(rejection: [.cooldownActive], now: now, lastRebalanceAt: last,
                                            cooldown: cooldown, previous: nil)
        #expect(backoff.until == last + cooldown)
        #expect(backoff.consecutive == 1)
        #expect(backoff.reason.hasPrefix("COOLDOWN_ACTIVE"))
    }

    @Test func otherRejectionsDoubleTheWaitUpToTheMaximum() {
        let policy = BackoffPolicy(base: Duration(seconds: 900), maximum: Duration(seconds: 3_000))
        let first = policy.after(rejection: [.edgeBelowMin], now: now, lastRebalanceAt: nil, cooldown: cooldown,
                                 previous: nil)
        #expect(first.until == now + Duration(seconds: 900))
        let second = policy.after(rejection: [.edgeBelowMin], now: now, lastRebalanceAt: nil, cooldown: cooldown,
                                  previous: first)
        #expect(second.until == now + Duration(seconds: 1_800))
        let third = policy.after(rejection: [.edgeBelowMin], now: now, lastRebalanceAt: nil, cooldown: cooldown,
                                 previous: second)
        #expect(third.until == now + Duration(seconds: 3_000))
        #expect(third.consecutive == 3)
    }

    @Test func cooldownWithAnotherReasonWaitsForTheLongerOfBoth() {
        let last = now - Duration(seconds: 6 * 3_600 - 60)  // the cooldown ends in a minute
        let backoff = BackoffPolicy().after(rejection: [.cooldownActive, .turnoverLimit24h], now: now,
                                            lastRebalanceAt: last, cooldown: cooldown, previous: nil)
        #expect(backoff.until == now + Duration(seconds: 900))
    }

    @Test func aCooldownAlreadyOverStillWaitsTheBase() {
        let last = now - Duration(seconds: 7 * 3_600)
        let backoff = BackoffPolicy().after(rejection: [.cooldownActive], now: now, lastRebalanceAt: last,
                                            cooldown: cooldown, previous: nil)
        #expect(backoff.until == now + Duration(seconds: 900))
    }
}
