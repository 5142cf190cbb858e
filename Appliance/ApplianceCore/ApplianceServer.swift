#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Wire

/// The appliance's socket server (DESIGN.md, "The decision pipeline", steps 1–2): accepts connections on a Unix
/// socket, admits only peers whose uid (from `SO_PEERCRED`, the kernel's word) is on the allowlist, and hands
/// every decoded request to the `DecisionEngine`.
///
/// - One thread per connection, `limits.maxConnections` of them normally. When all are taken, a new connection
///   takes the slot of another, which is closed: one whose peer has sent a bad frame, else the one that has
///   waited longest for its peer (a trickled frame, an idle connection), never one whose request is in progress
///   or that is younger than `evictionGraceMilliseconds` (`ConnectionActivity`). With no such connection, or with
///   twice `maxConnections` still open, the newcomer is answered `BUSY` and closed. So hostile peers
///   that hold connections open cannot lock out an honest planner or the operator's kill switch, and threads stay
///   bounded. Refusals and evictions are audited in aggregate (one `connection_busy` entry per
///   `busyAuditIntervalMilliseconds` with the counts, flushed at shutdown), so a connection flood cannot turn into
///   an audit-log flood or slow the accept loop with one commit per refusal; protocol errors likewise beyond a
///   rate (`ProtocolErrorAudit`).
/// - A peer not on the allowlist gets `PEER_NOT_ALLOWED`, is audited (`peer_refused`, one entry per
///   connection: it holds a handler slot while that happens, so the connection limit bounds the rate) and is
///   closed.
/// - Its lifecycle is audited: `server_started` (socket, allowlist, limits: who may talk to the appliance is
///   security-relevant) and `server_stopped`.
/// - `stop()` is graceful: no new connections, idle connections are closed, requests already being decided are
///   answered, then a checkpoint is signed over the audit head.
public final class ApplianceServer: @unchecked Sendable {
    // @unchecked: the mutable fields below are read and written only while `lock` is held.

    /// The socket path.
    public let socketPath: String
    /// The uids allowed to send requests.
    public let allowedUIDs: Set<UInt32>
    public let limits: ServerLimits
    public let engine: DecisionEngine
    public let layout: StateLayout

    private let lock = Mutex()
    private var listener: UnixSocket?
    private var started = false
    private var stopping = false
    private var nextConnectionID = 0
    /// An open connection (admitted or being refused): its socket, so `stop()` can wake it, and its activity, so
    /// a newcomer can take the slot of the one waiting longest.
    private struct Slot {
        let socket: UnixSocket
        let activity: ConnectionActivity
        var evicted = false
    }

    /// Open connections by id.
    private var connections: [Int: Slot] = [:]
    private var busyRefusals = 0
    private var evictions = 0
    private var busyLastPeerUID: UInt32 = 0
    private var busyAuditInFlight = false
    private var lastBusyAuditAt: Int64?

    /// Counts the accept thread and every handler; `stop()` waits for it to drain.
    private let workers = DispatchGroup()
    private let acceptLoopDone = DispatchSemaphore(value: 0)
    private let stoppedSignal = DispatchSemaphore(value: 0)
    private let protocolErrors: ProtocolErrorAudit

    public init(engine: DecisionEngine, socketPath: String, layout: StateLayout, allowedUIDs: Set<UInt32>,
                limits: ServerLimits = ServerLimits()) {
        self.engine = engine
        self.socketPath = socketPath
        self.layout = layout
        self.allowedUIDs = allowedUIDs
        self.limits = limits
        protocolErrors = ProtocolErrorAudit(engine: engine, perSecond: limits.protocolErrorAuditsPerSecond)
    }

    /// The number of connections being served or refused right now.
    public var openConnections: Int { lock.withLock { connections.count } }

    /// Binds the socket (replacing a stale socket file) and starts accepting on a background thread.
    public func start() throws {
        let socket = try UnixSocket.listen(path: socketPath)
        let ok: Bool = lock.withLock {
            guard !started, !stopping else { return false }
            started = true
            listener = socket
            return true
        }
        guard ok else {
            socket.close()
            throw UnixSocket.Failure(operation: "start: the server was already started or stopped", errno: EINVAL)
        }
        _ = engine.submit(.event(kind: "server_started", body: .object([
            "socket": .string(socketPath),
            "allowed_uids": .array(allowedUIDs.sorted().map { .integer(Int($0)) }),
            "max_connections": .integer(limits.maxConnections),
            "read_timeout_ms": .integer(Int(limits.readTimeoutMilliseconds)),
            "idle_timeout_ms": .integer(Int(limits.idleTimeoutMilliseconds)),
        ])))
        workers.enter()
        guard ServerThread.spawn({ [self] in acceptLoop(socket) }) else {
            workers.leave()
            acceptLoopDone.signal()
            socket.close()
            throw UnixSocket.Failure(operation: "start: cannot create the accept thread", errno: EAGAIN)
        }
    }

    /// Blocks until `stop()` has finished.
    public func waitUntilStopped() {
        stoppedSignal.wait()
        stoppedSignal.signal()
    }

    /// Stops gracefully: closes the listener, closes idle connections, waits for requests in progress to be
    /// answered, audits any `BUSY` refusals not yet recorded, and signs a checkpoint. Safe to call more than
    /// once and from any thread; later calls return once the first has finished.
    public func stop() {
        let (first, socket, wasStarted): (Bool, UnixSocket?, Bool) = lock.withLock {
            if stopping { return (false, nil, started) }
            stopping = true
            return (true, listener, started)
        }
        guard first else {
            waitUntilStopped()
            return
        }
        if wasStarted, let socket {
            socket.shutdown()
            acceptLoopDone.wait()
            socket.close()
            unlink(socketPath)
        }
        // Wake every connection waiting for its next request; one inside `submit` finishes and answers first
        // (only the read side is shut), then sees `stopping` and ends.
        // Under the lock: a handler removes its socket from `connections` before closing it, so every
        // descriptor shut here is still open (never a number the kernel has since reused).
        lock.withLock {
            for slot in connections.values { _ = Glibc.shutdown(slot.socket.fd, Int32(SHUT_RD)) }
        }
        workers.wait()
        if wasStarted {
            protocolErrors.flush()
            flushBusyAudit()
            _ = engine.submit(.event(kind: "server_stopped", body: .object(["socket": .string(socketPath)])))
        }
        engine.checkpointNow()
        stoppedSignal.signal()
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    // MARK: - Accepting

    private func acceptLoop(_ socket: UnixSocket) {
        defer {
            acceptLoopDone.signal()
            workers.leave()
        }
        while true {
            guard let client = socket.accept() else {
                if isStopping { return }
                // Out of descriptors or another transient failure: back off instead of spinning.
                usleep(50_000)
                continue
            }
            if isStopping {
                client.close()
                return
            }
            admit(client)
        }
    }

    private func admit(_ client: UnixSocket) {
        guard let uid = try? client.peerUID(), !Self.hasHungUpWithNothingSent(client) else {
            client.close()
            return
        }
        let now = MonotonicClock.nowMilliseconds()
        let admitted: (id: Int, activity: ConnectionActivity, evicted: Bool)? = lock.withLock {
            var evicted = false
            if connections.count >= limits.maxConnections {
                guard connections.count < 2 * limits.maxConnections, let victim = evictionVictim(now: now),
                      let fd = connections[victim]?.socket.fd
                else { return nil }
                connections[victim]?.evicted = true
                evicted = true
                // Only the read side, under the lock like `stop()`: its handler sees the end of input and closes
                // (a request that has already arrived whole is still answered first).
                _ = Glibc.shutdown(fd, Int32(SHUT_RD))
            }
            nextConnectionID += 1
            let activity = ConnectionActivity(now: now)
            connections[nextConnectionID] = Slot(socket: client, activity: activity)
            return (nextConnectionID, activity, evicted)
        }
        guard let admitted else {
            refuseBusy(client, uid: uid)
            return
        }
        if admitted.evicted { noteOverload(refused: false, uid: uid) }
        let id = admitted.id
        workers.enter()
        let spawned = ServerThread.spawn { [self] in
            defer {
                lock.withLock { _ = connections.removeValue(forKey: id) }
                client.close()
                workers.leave()
            }
            handle(client, uid: uid, activity: admitted.activity)
        }
        if !spawned {
            lock.withLock { _ = connections.removeValue(forKey: id) }
            workers.leave()
            refuseBusy(client, uid: uid)
        }
    }

    /// Whether the peer has already closed without sending a byte (a connect/close storm): such a connection
    /// needs no handler thread and no slot.
    private static func hasHungUpWithNothingSent(_ client: UnixSocket) -> Bool {
        // A Unix socket whose peer has closed reports POLLHUP (both directions shut down).
        var pfd = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 0) == 1, pfd.revents & Int16(POLLHUP) != 0 else { return false }
        // Readable because of the hang-up alone, or because a request is waiting? Look without taking it.
        var byte: UInt8 = 0
        return recv(client.fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT)) == 0
    }

    /// The open connection to close for a newcomer (`ConnectionActivity.evictionRank`), if any (caller holds
    /// `lock`).
    private func evictionVictim(now: Int64) -> Int? {
        var best: (id: Int, rank: (Int, Int64))?
        for (id, slot) in connections where !slot.evicted {
            guard let rank = slot.activity.evictionRank(
                now: now, graceMilliseconds: Int64(limits.evictionGraceMilliseconds)) else { continue }
            if best.map({ rank < $0.rank }) ?? true { best = (id, (rank.misbehaved, rank.waitingSince)) }
        }
        return best?.id
    }

    private func handle(_ client: UnixSocket, uid: UInt32, activity: ConnectionActivity) {
        guard allowedUIDs.contains(uid) else {
            client.setSendTimeout(milliseconds: Int(limits.sendTimeoutMilliseconds))
            _ = engine.submit(.event(kind: "peer_refused", body: .object(["peer_uid": .integer(Int(uid))])))
            let refusal = ErrorResponse(code: .peerNotAllowed, message: "uid \(uid) may not use this appliance")
            try? client.writeAll(ServerResponseFrame(.error(refusal)).bytes)
            return
        }
        Connection(socket: client, peerUID: uid, engine: engine, layout: layout, limits: limits, activity: activity,
                   protocolErrors: protocolErrors, isStopping: { [self] in isStopping }).serve()
    }

    // MARK: - BUSY

    /// Answers `BUSY` on the accept thread (a short frame into an empty socket buffer: it does not block) and
    /// counts the refusal for the aggregate audit entry.
    private func refuseBusy(_ client: UnixSocket, uid: UInt32) {
        client.setSendTimeout(milliseconds: 100)
        let busy = ErrorResponse(code: .busy, message: "the appliance is serving \(limits.maxConnections) "
                                 + "connections, its limit; retry later")
        try? client.writeAll(ServerResponseFrame(.error(busy)).bytes)
        client.close()
        noteOverload(refused: true, uid: uid)
    }

    /// Counts a refusal or an eviction for the aggregate audit entry, and writes that entry (off the accept
    /// thread) when the interval since the last one is over.
    private func noteOverload(refused: Bool, uid: UInt32) {
        let now = MonotonicClock.nowMilliseconds()
        let auditNow: Bool = lock.withLock {
            if refused { busyRefusals += 1 } else { evictions += 1 }
            busyLastPeerUID = uid
            guard !busyAuditInFlight, !stopping else { return false }
            if let last = lastBusyAuditAt, now - last < Int64(limits.busyAuditIntervalMilliseconds) { return false }
            busyAuditInFlight = true
            lastBusyAuditAt = now
            return true
        }
        guard auditNow else { return }
        // The commit happens off the accept thread, so accepting never waits for the disk.
        workers.enter()
        let spawned = ServerThread.spawn { [self] in
            defer { workers.leave() }
            recordBusyRefusals()
            lock.withLock { busyAuditInFlight = false }
        }
        if !spawned {
            lock.withLock { busyAuditInFlight = false }
            workers.leave()
        }
    }

    /// Writes one `connection_busy` entry for the refusals and evictions counted since the last one (none: no
    /// entry).
    private func recordBusyRefusals() {
        let (count, evicted, uid): (Int, Int, UInt32) = lock.withLock {
            defer {
                busyRefusals = 0
                evictions = 0
            }
            return (busyRefusals, evictions, busyLastPeerUID)
        }
        guard count > 0 || evicted > 0 else { return }
        _ = engine.submit(.event(kind: "connection_busy", body: .object([
            "refused": .integer(count), "evicted": .integer(evicted), "last_peer_uid": .integer(Int(uid)),
            "max_connections": .integer(limits.maxConnections),
        ])))
    }

    private func flushBusyAudit() { recordBusyRefusals() }
}
