import ApplianceCore
import Foundation
import SigningPolicy
import Wire

/// Concurrent planners for `appliance bench`: `clients` threads, each on its own connection to a running appliance,
/// sending proposals one after another as fast as the responses come back, timing each request.
struct BenchLoad {
    /// The decision every proposal must get; anything else stops the benchmark with an error.
    enum Expectation: Sendable {
        case approved
        case rejected
    }

    /// What one load run measured.
    struct Result {
        /// Requests answered as expected.
        var count = 0
        /// Wall time from the moment every client was connected until the last one finished, in seconds.
        var elapsed = 0.0
        /// Each request's round trip as its client saw it, in milliseconds.
        var latencies: [Double] = []

        /// Requests per second.
        var rate: Double { elapsed > 0 ? Double(count) / elapsed : 0 }

        /// The latency at quantile `q` (0…1, nearest rank), in milliseconds; 0 with no requests.
        func latency(quantile q: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            let sorted = latencies.sorted()
            let rank = Int((q * Double(sorted.count)).rounded(.up))
            return sorted[min(max(rank, 1), sorted.count) - 1]
        }

        mutating func add(_ other: Result) {
            count += other.count
            elapsed += other.elapsed
            latencies += other.latencies
        }
    }

    let socketPath: String
    let clients: Int
    let expectation: Expectation
    /// Requests to send in all, across clients (nil: as many as fit in `seconds`).
    let limit: Int?
    /// Time after which no client starts another request.
    let seconds: Double
    /// Prefix of every proposal id; ids are `<prefix>-<client>-<n>`, so it must be unique per state database.
    let idPrefix: String

    func run() throws -> Result {
        let shared = BenchLoadState(limit: limit)
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        let socketPath = socketPath
        let expectation = expectation
        let idPrefix = idPrefix
        for index in 0..<clients {
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                Self.client(index: index, socketPath: socketPath, expectation: expectation, idPrefix: idPrefix,
                            shared: shared, ready: ready, go: go)
            }
            thread.start()
        }
        for _ in 0..<clients { ready.wait() }
        let start = DispatchTime.now().uptimeNanoseconds
        shared.start(deadline: start + UInt64(max(0, seconds) * 1e9))
        for _ in 0..<clients { go.signal() }
        finished.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let error = shared.error { throw error }
        return Result(count: shared.latencies.count, elapsed: elapsed, latencies: shared.latencies)
    }

    /// One client thread: connect, wait for the start, then request until the limit or the deadline.
    private static func client(index: Int, socketPath: String, expectation: Expectation, idPrefix: String,
                               shared: BenchLoadState, ready: DispatchSemaphore, go: DispatchSemaphore) {
        let connection: ApplianceClient
        do {
            connection = try ApplianceClient(socketPath: socketPath, timeoutMilliseconds: 30_000)
        } catch {
            shared.fail(error)
            ready.signal()
            return
        }
        defer { connection.close() }
        ready.signal()
        go.wait()
        var latencies: [Double] = []
        latencies.reserveCapacity(4_096)
        do {
            while shared.takeTicket() {
                let id = "\(idPrefix)-\(index)-\(latencies.count)"
                let now = BenchAppliance.wallClock()
                let proposal = expectation == .approved
                    ? BenchPolicy.approvable(id: id, at: now) : BenchPolicy.rejectable(id: id, at: now)
                let sent = DispatchTime.now().uptimeNanoseconds
                let response = try connection.send(.propose(proposal))
                let answered = DispatchTime.now().uptimeNanoseconds
                try check(response, id: id, expectation: expectation)
                latencies.append(Double(answered - sent) / 1e6)
            }
        } catch {
            shared.fail(error)
        }
        shared.finish(latencies)
    }

    private static func check(_ response: Response, id: String, expectation: Expectation) throws {
        switch response {
        case .decision(let decision):
            switch (expectation, decision.isApproved) {
            case (.approved, true), (.rejected, false): return
            case (.approved, false):
                let codes = decision.reasons.map(\.code.rawValue).joined(separator: ", ")
                throw CommandFailure("the appliance rejected benchmark proposal \(id) (\(codes))",
                                     hint: "the built-in benchmark policy should approve it; this is a bug")
            case (.rejected, true):
                throw CommandFailure("the appliance approved benchmark proposal \(id) for the wrong chain",
                                     hint: "the chain rule should reject it; this is a bug")
            }
        case .error(let error):
            throw CommandFailure("the appliance answered benchmark proposal \(id) with \(error.code.rawValue): "
                                 + error.message, hint: "see the appliance's audit log for the cause")
        case .status:
            throw CommandFailure("the appliance answered a proposal with a status frame",
                                 hint: "the server's request dispatch is broken; this is a bug")
        }
    }
}

/// The tickets, results and first error shared by a load run's client threads.
///
/// `@unchecked Sendable`: every stored property is read and written only while `lock` is held.
final class BenchLoadState: @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int?
    private var issued = 0
    private var deadline: UInt64 = 0
    private var stopped = false
    private var collected: [Double] = []
    private var firstError: (any Error)?

    init(limit: Int?) { self.limit = limit }

    /// Opens the run: requests may start until `deadline` (uptime nanoseconds).
    func start(deadline: UInt64) {
        lock.lock()
        self.deadline = deadline
        lock.unlock()
    }

    /// Whether the caller may send one more request (counts it).
    func takeTicket() -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        defer { lock.unlock() }
        guard !stopped, now < deadline, limit.map({ issued < $0 }) ?? true else { return false }
        issued += 1
        return true
    }

    /// Adds one client's latencies.
    func finish(_ latencies: [Double]) {
        lock.lock()
        collected += latencies
        lock.unlock()
    }

    /// Records a client's failure (the first one wins) and stops every client.
    func fail(_ error: any Error) {
        lock.lock()
        if firstError == nil { firstError = error }
        stopped = true
        lock.unlock()
    }

    var latencies: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return collected
    }

    var error: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return firstError
    }
}
