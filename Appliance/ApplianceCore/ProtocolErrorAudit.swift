import Wire

/// The audit of protocol errors, bounded so that a flood of bad frames cannot grow the audit log (or the disk
/// traffic of its commits) without limit, while every error stays accounted for in the hash chain.
///
/// Up to `perSecond` errors a second (token bucket, burst `5 × perSecond`) are audited one `protocol_error` entry
/// each, durable before their answer as before. Beyond that an error is answered at once and counted by code; the
/// counts go into one `protocol_errors_aggregated` entry (`count`, `codes`, `last_peer_uid`) written at most once a
/// second by the connection that finds the interval over, and at shutdown (`flush`). What is lost under a flood is
/// only the per-error detail (the payload prefix); a crash loses at most the counts of the last second.
final class ProtocolErrorAudit: @unchecked Sendable {
    // @unchecked: the mutable fields are read and written only while `lock` is held.
    private let engine: DecisionEngine
    private let perSecond: Int
    private let burst: Double
    private let aggregateIntervalMilliseconds: Int64 = 1_000

    private let lock = Mutex()
    private var tokens: Double
    private var refilledAt: Int64
    private var counts: [String: Int] = [:]
    private var lastPeerUID: UInt32 = 0
    private var lastAggregateAt: Int64
    private var aggregateInFlight = false

    init(engine: DecisionEngine, perSecond: Int, now: Int64 = MonotonicClock.nowMilliseconds()) {
        self.engine = engine
        self.perSecond = max(0, perSecond)
        burst = Double(self.perSecond * 5)
        tokens = burst
        refilledAt = now
        lastAggregateAt = now
    }

    /// Audits one protocol error, either as its own entry (`body`) or in the next aggregate.
    func record(code: WireErrorCode, peerUID: UInt32, body: @autoclosure () -> JSONValue) {
        let now = MonotonicClock.nowMilliseconds()
        enum Action { case individual, aggregate, counted }
        let action: Action = lock.withLock {
            tokens = min(burst, tokens + Double(now - refilledAt) * Double(perSecond) / 1_000)
            refilledAt = now
            if tokens >= 1 {
                tokens -= 1
                return .individual
            }
            counts[code.rawValue, default: 0] += 1
            lastPeerUID = peerUID
            guard !aggregateInFlight, now - lastAggregateAt >= aggregateIntervalMilliseconds else { return .counted }
            aggregateInFlight = true
            lastAggregateAt = now
            return .aggregate
        }
        switch action {
        case .individual: _ = engine.submit(.event(kind: "protocol_error", body: body()))
        case .aggregate: writeAggregate()
        case .counted: break
        }
    }

    /// Writes the counts not yet audited (at shutdown; none: no entry).
    func flush() {
        let idle: Bool = lock.withLock {
            guard !aggregateInFlight else { return false }
            aggregateInFlight = true
            return true
        }
        if idle { writeAggregate() }
    }

    private func writeAggregate() {
        let (taken, uid): ([String: Int], UInt32) = lock.withLock {
            defer { counts = [:] }
            return (counts, lastPeerUID)
        }
        defer { lock.withLock { aggregateInFlight = false } }
        guard !taken.isEmpty else { return }
        let codes = taken.sorted { $0.key < $1.key }.map { JSONValue.Member($0.key, .integer($0.value)) }
        _ = engine.submit(.event(kind: "protocol_errors_aggregated", body: .object([
            "count": .integer(taken.values.reduce(0, +)), "codes": .object(codes),
            "last_peer_uid": .integer(Int(uid)),
        ])))
    }
}
