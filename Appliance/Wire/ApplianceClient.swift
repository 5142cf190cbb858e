/// A connection to a running appliance: send a request, read its response, in order, any number of times.
///
/// Used by the operator commands (`appliance status`, the kill switch), by the planner, by tests and by benchmarks
/// (it lives in `Wire` so the planner can speak the protocol without linking the appliance's core). Each
/// response must arrive whole within `timeoutMilliseconds` of the call that waits for it.
public final class ApplianceClient {
    /// The socket path.
    public let socketPath: String
    /// Time allowed for one whole response.
    public let timeoutMilliseconds: Int32
    private let socket: UnixSocket
    private var decoder = FrameDecoder()
    /// Frames received but not yet returned (a response may share a read with the next one).
    private var pending: [[UInt8]] = []

    /// Connects to the appliance at `socketPath`.
    public init(socketPath: String, timeoutMilliseconds: Int32 = 30_000) throws(ClientError) {
        self.socketPath = socketPath
        self.timeoutMilliseconds = max(1, timeoutMilliseconds)
        do {
            socket = try UnixSocket.connect(path: socketPath)
        } catch {
            throw ClientError(.connect, "cannot connect to the appliance at \(socketPath): \(error)")
        }
        socket.setSendTimeout(milliseconds: Int(self.timeoutMilliseconds))
    }

    /// Connects, sends `request`, reads its response and closes.
    public static func send(_ request: Request, socketPath: String, timeoutMilliseconds: Int32 = 30_000)
        throws(ClientError) -> Response
    {
        let client = try ApplianceClient(socketPath: socketPath, timeoutMilliseconds: timeoutMilliseconds)
        defer { client.close() }
        return try client.send(request)
    }

    /// Sends `request` and returns its response.
    public func send(_ request: Request) throws(ClientError) -> Response {
        try sendPayload(request.encoded())
        return try receive()
    }

    /// Sends `payload` in one frame; it must be 1…65536 bytes (`sendRaw` sends deliberately bad frames).
    public func sendPayload(_ payload: [UInt8]) throws(ClientError) {
        guard Frame.isValidPayloadLength(payload.count) else {
            throw ClientError(.io, "a request payload must be 1…\(Frame.maxPayloadLength) bytes")
        }
        try sendRaw(Frame.encode(payload))
    }

    /// Writes `bytes` as they are: for tests that send malformed frames.
    public func sendRaw(_ bytes: [UInt8]) throws(ClientError) {
        do {
            try socket.writeAll(bytes)
        } catch {
            throw ClientError(.io, "cannot send to the appliance at \(socketPath): \(error)")
        }
    }

    /// Reads the next response.
    public func receive() throws(ClientError) -> Response {
        let payload = try receivePayload()
        do {
            return try Response.decode(payload)
        } catch {
            throw ClientError(.malformedResponse, "the appliance sent an invalid response: \(error)")
        }
    }

    /// Reads the next response frame's payload, undecoded.
    public func receivePayload() throws(ClientError) -> [UInt8] {
        if !pending.isEmpty { return pending.removeFirst() }
        let deadline = MonotonicClock.nowMilliseconds() + Int64(timeoutMilliseconds)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let remaining = deadline - MonotonicClock.nowMilliseconds()
            guard remaining > 0 else {
                throw ClientError(.timedOut, "no response from the appliance within \(timeoutMilliseconds) ms")
            }
            let outcome: UnixSocket.ReadOutcome
            do {
                outcome = try socket.read(into: &buffer, timeoutMilliseconds: Int32(clamping: remaining))
            } catch {
                throw ClientError(.io, "cannot read from the appliance at \(socketPath): \(error)")
            }
            switch outcome {
            case .timedOut:
                throw ClientError(.timedOut, "no response from the appliance within \(timeoutMilliseconds) ms")
            case .closed:
                throw ClientError(.closed, "the appliance closed the connection")
            case .data(let count):
                for output in decoder.feed(buffer[0..<count]) {
                    switch output {
                    case .frame(let payload): pending.append(payload)
                    case .error(let error):
                        throw ClientError(.malformedResponse, "the appliance sent a bad frame: \(error)")
                    }
                }
                if !pending.isEmpty { return pending.removeFirst() }
            }
        }
    }

    /// Whether the appliance has closed the connection: waits up to `timeoutMilliseconds` for end of stream
    /// (false if data or nothing arrives in that time).
    public func peerHasClosed(timeoutMilliseconds: Int32) -> Bool {
        guard pending.isEmpty else { return false }
        var buffer = [UInt8](repeating: 0, count: 4_096)
        switch try? socket.read(into: &buffer, timeoutMilliseconds: timeoutMilliseconds) {
        case .closed: return true
        case .data(let count):
            for output in decoder.feed(buffer[0..<count]) {
                if case .frame(let payload) = output { pending.append(payload) }
            }
            return false
        case .timedOut, nil: return false
        }
    }

    /// Closes the connection.
    public func close() { socket.close() }
}
