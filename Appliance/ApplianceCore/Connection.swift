#if canImport(Glibc)
import Glibc
#endif
import Wire

/// One accepted connection from an allowed peer, served on its own thread: frames in, one response per request,
/// in order, until the peer closes, a limit is hit, a `FRAME_SIZE` error ends it, or the server stops.
///
/// Protocol errors other than `FRAME_SIZE` are answered and audited (`protocol_error`: code, peer uid, frame
/// length and a short escaped prefix, never the whole payload; beyond a rate, counted in an aggregate entry:
/// `ProtocolErrorAudit`) and the connection stays open. Every `protocol_error` entry, like every decision, is
/// durable before its response is written. `activity` tells the server when the connection is only waiting.
struct Connection: Sendable {
    let socket: UnixSocket
    let peerUID: UInt32
    let engine: DecisionEngine
    let layout: StateLayout
    let limits: ServerLimits
    let activity: ConnectionActivity
    let protocolErrors: ProtocolErrorAudit
    /// True once the server is shutting down: no new request is started.
    let isStopping: @Sendable () -> Bool

    /// Bytes of a bad frame kept in its audit entry.
    static let auditPrefixLength = 32
    /// Bad frames a connection may send before each further one costs it `limits.misbehaviourPauseMilliseconds`.
    static let tolerableProtocolErrors = 8
    /// Linux's POLLRDHUP (Glibc's Swift module leaves it out: it needs _GNU_SOURCE).
    static let pollReadHangUp: Int16 = 0x2000

    /// Serves the connection until it ends; never throws, never traps on peer input.
    func serve() {
        socket.setSendTimeout(milliseconds: Int(limits.sendTimeoutMilliseconds))
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        // When the first byte of the frame in progress arrived (nil between frames).
        var frameStartedAt: Int64?
        while !isStopping() {
            let timeout: Int32
            if let started = frameStartedAt {
                let remaining = Int64(limits.readTimeoutMilliseconds) - (MonotonicClock.nowMilliseconds() - started)
                // A frame that did not arrive whole in time: the peer is too slow or stalling; drop it.
                guard remaining > 0 else { return }
                timeout = Int32(clamping: remaining)
            } else {
                timeout = limits.idleTimeoutMilliseconds
            }
            let read: UnixSocket.ReadOutcome
            do {
                read = try socket.read(into: &buffer, timeoutMilliseconds: timeout)
            } catch {
                return
            }
            guard case .data(let count) = read else { return }  // closed, or idle/partial-frame timeout
            var completedFrame = false
            for output in decoder.feed(buffer[0..<count]) {
                switch output {
                case .frame(let payload):
                    completedFrame = true
                    activity.requestStarted()
                    guard !isStopping(), answer(payload) else { return }
                    pauseIfMisbehaving()
                case .error(let error):
                    record(protocolError: error, payload: nil)  // the message names the bad length
                    _ = send(.error(ErrorResponse(error)))
                    return
                }
            }
            if decoder.isAtFrameBoundary {
                frameStartedAt = nil
            } else if completedFrame || frameStartedAt == nil {
                frameStartedAt = MonotonicClock.nowMilliseconds()
            }
        }
    }

    /// Slows a peer that keeps sending bad frames (it stays connected and answered, as DESIGN.md pins).
    private func pauseIfMisbehaving() {
        guard limits.misbehaviourPauseMilliseconds > 0,
              activity.protocolErrorCount > Connection.tolerableProtocolErrors else { return }
        // Waits for the read side to be shut (the server stopping or giving the slot to a newcomer) or the peer
        // to hang up, not for data: the peer's next frame stays unread until the pause is over.
        var pfd = pollfd(fd: socket.fd, events: Connection.pollReadHangUp, revents: 0)
        _ = poll(&pfd, 1, limits.misbehaviourPauseMilliseconds)
    }

    /// Decodes and answers one frame; false when the connection should end (the response could not be sent).
    private func answer(_ payload: [UInt8]) -> Bool {
        let request: Request
        do {
            request = try Request.decode(payload)
        } catch {
            record(protocolError: error, payload: payload)
            return send(.error(ErrorResponse(error)))
        }
        return send(respond(to: request))
    }

    private func respond(to request: Request) -> Response {
        let job: DecisionEngine.Job
        switch request {
        case .propose(let proposal): job = .propose(proposal)
        case .status: job = .status
        case .engageKillSwitch(let reason): job = .engageKillSwitch(reason: reason, source: "socket uid \(peerUID)")
        }
        switch engine.submit(job) {
        case .decision(let decision, let bundle):
            // The engine has committed: the decision and its audit entry are durable. The bundle file is written
            // before the reply, so a planner that sees "approved" can hand the file to co-signers at once.
            if let bundle, decision.isApproved {
                writeBundle(bundle, decision: decision)
            }
            return .decision(decision)
        case .status(let status):
            return .status(status)
        case .failure(let error):
            return .error(error)
        case .recorded:
            return .error(ErrorResponse(code: .internal, message: "the engine answered a request with no response"))
        }
    }

    private func writeBundle(_ bundle: SafeBundle, decision: DecisionResponse) {
        let seq = Int64(clamping: decision.audit.seq)
        do {
            try ServerBundleFile.write(bundle, seq: seq, proposalID: decision.proposalID, layout: layout)
        } catch {
            // The decision stands (it is committed and its bundle is in the response); record the lost file.
            _ = engine.submit(.event(kind: "bundle_write_failed", body: .object([
                "proposal_id": .string(decision.proposalID), "seq": .integer(Int(seq)),
                "error": .string(String(describing: error)),
            ])))
        }
    }

    /// Writes one response frame; false if the peer is gone or stopped reading.
    private func send(_ response: Response) -> Bool {
        let frame = ServerResponseFrame(response)
        if frame.wasOversized {
            _ = engine.submit(.event(kind: "response_too_large", body: .object([
                "peer_uid": .integer(Int(peerUID)), "bytes": .integer(frame.originalPayloadLength),
            ])))
        }
        // Waiting again from here: a newcomer may take the slot while the answer is written (that shuts only the
        // read side, so the answer still goes out whole).
        activity.requestAnswered()
        do {
            try socket.writeAll(frame.bytes)
            return true
        } catch {
            return false
        }
    }

    private func record(protocolError error: WireError, payload: [UInt8]?) {
        activity.protocolError()
        protocolErrors.record(code: error.code, peerUID: peerUID,
                              body: Connection.auditBody(error, peerUID: peerUID, payload: payload))
    }

    /// The `protocol_error` entry's body (built only when the error is audited on its own).
    static func auditBody(_ error: WireError, peerUID: UInt32, payload: [UInt8]?) -> JSONValue {
        var body: [JSONValue.Member] = [
            .init("code", .string(error.code.rawValue)),
            .init("peer_uid", .integer(Int(peerUID))),
            .init("message", .string(String(String.UnicodeScalarView(error.message.unicodeScalars.prefix(200))))),
        ]
        if let payload {
            body += [.init("length", .integer(payload.count)),
                     .init("prefix", .string(Connection.escapedPrefix(payload)))]
        }
        return .object(body)
    }

    /// The first bytes of an untrusted payload as printable ASCII: other bytes and `\` as `\xNN`.
    static func escapedPrefix(_ bytes: [UInt8], limit: Int = auditPrefixLength) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes.prefix(limit) {
            if b >= 0x20 && b < 0x7f && b != UInt8(ascii: "\\") {
                out.append(b)
            } else {
                out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(b >> 4)], hex[Int(b & 0x0f)]]
            }
        }
        if bytes.count > limit { out += Array("…".utf8) }
        return String(decoding: out, as: UTF8.self)
    }
}
