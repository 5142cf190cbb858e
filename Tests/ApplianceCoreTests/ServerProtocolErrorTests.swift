import ApplianceCore
import Foundation
import Testing
import Wire

/// Protocol errors over a real socket (DESIGN.md, "Wire protocol"): `FRAME_SIZE` closes the connection, every
/// other error is answered, audited, and the connection serves the next request.
@Suite struct ServerProtocolErrorTests {
    /// A malformed request and the code it must be answered with.
    struct BadRequest: CustomTestStringConvertible, Sendable {
        let code: WireErrorCode
        let payload: String
        var testDescription: String { code.rawValue }
    }

    static let badRequests: [BadRequest] = [
        BadRequest(code: .malformedJSON, payload: #"{"type": "status""#),
        BadRequest(code: .malformedJSON, payload: #"[[[[[[[[[["status"]]]]]]]]]]"#),
        BadRequest(code: .duplicateKey, payload: #"{"type": "status", "type": "status"}"#),
        BadRequest(code: .unknownField, payload: #"{"type": "status", "verbose": true}"#),
        BadRequest(code: .missingField, payload: #"{"type": "engage_kill_switch"}"#),
        BadRequest(code: .invalidField, payload: #"{"type": "engage_kill_switch", "reason": 5}"#),
        BadRequest(code: .unknownType, payload: #"{"type": "sign_raw_bytes"}"#),
    ]

    @Test(arguments: badRequests)
    func protocolErrorIsAnsweredWithItsCodeAndTheNextRequestIsServed(_ bad: BadRequest) throws {
        let fixture = try ServerFixture()
        let client = try fixture.client()
        defer { client.close() }
        try client.sendPayload(Array(bad.payload.utf8))
        #expect(try client.receive().errorCode == bad.code)
        let next = try client.send(.status)
        #expect(next.status?.signerAddress == fixture.keeperAddress)
    }

    @Test(arguments: badRequests)
    func protocolErrorIsAuditedWithItsCodeAndThePeerUID(_ bad: BadRequest) throws {
        let fixture = try ServerFixture()
        let client = try fixture.client()
        defer { client.close() }
        try client.sendPayload(Array(bad.payload.utf8))
        _ = try client.receive()
        let entries = try fixture.auditEntries(kind: "protocol_error")
        #expect(entries.count == 1)
        let body = try #require(entries.first?.body)
        #expect(body.contains("\"code\":\"\(bad.code.rawValue)\""))
        #expect(body.contains("\"peer_uid\":\(getuid())"))
    }

    @Test func protocolErrorAuditKeepsOnlyAShortEscapedPrefixOfThePayload() throws {
        let fixture = try ServerFixture()
        let client = try fixture.client()
        defer { client.close() }
        let payload = #"{"type": "status", "x": "\#u{01}"#.utf8 + Array(repeating: UInt8(ascii: "A"), count: 40)
            + Array("SECRET-MARKER".utf8)
        try client.sendPayload(Array(payload))
        #expect(try client.receive().errorCode == .malformedJSON)
        let body = try #require(try fixture.auditEntries(kind: "protocol_error").first?.body)
        #expect(!body.contains("SECRET-MARKER"))
        #expect(body.contains(#"\\x01"#))  // the control byte, escaped as text
        #expect(body.contains("\"length\":\(payload.count)"))
    }

    @Test(arguments: [UInt32(0), UInt32(65_537), UInt32.max])
    func badFrameLengthIsAnsweredFrameSizeAndTheConnectionIsClosed(_ length: UInt32) throws {
        // Timeouts far beyond the wait below: only the FRAME_SIZE rule can close the connection in time.
        let fixture = try ServerFixture(limits: ServerLimits(readTimeoutMilliseconds: 600_000,
                                                             idleTimeoutMilliseconds: 600_000))
        let client = try fixture.client()
        defer { client.close() }
        let header = withUnsafeBytes(of: length.bigEndian) { Array($0) }
        try client.sendRaw(header + Array(#"{"type": "status"}"#.utf8))
        #expect(try client.receive().errorCode == .frameSize)
        #expect(client.peerHasClosed(timeoutMilliseconds: 10_000))
        #expect(try fixture.auditEntries(kind: "protocol_error").count == 1)
    }

    @Test func largestFrameIsReadWholeAndDecoded() throws {
        let fixture = try ServerFixture()
        let client = try fixture.client()
        defer { client.close() }
        // 65536 bytes: a status request padded with whitespace is a valid, maximal frame.
        let request = Array(#"{"type": "status"}"#.utf8)
        let payload = request + Array(repeating: UInt8(ascii: " "), count: Frame.maxPayloadLength - request.count)
        try client.sendPayload(payload)
        #expect(try client.receive().status != nil)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let fixture = try ServerFixture()
        let client = try fixture.client()
        defer { client.close() }
        let frames = Frame.encode(Request.status.encoded()) + Frame.encode(Array(#"{"type": 1}"#.utf8))
            + Frame.encode(Request.engageKillSwitch(reason: "drill").encoded())
        try client.sendRaw(frames)
        #expect(try client.receive().status?.killSwitch.engaged == false)
        #expect(try client.receive().errorCode == .invalidField)
        #expect(try client.receive().status?.killSwitch.engaged == true)
    }
}
