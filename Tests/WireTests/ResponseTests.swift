import Ethereum
import SigningPolicy
import Testing
import Wire

@Suite struct ResponseTests {
    private let audit = AuditReference(seq: 42, hash: [UInt8](repeating: 0xAB, count: 32))
    private var auditJSON: String { "{\"seq\":42,\"hash\":\"0x\(String(repeating: "ab", count: 32))\"}" }

    private var keeper: SignedTransaction {
        .keeper(.init(
            rawTransaction: [0x02, 0xF8, 0x01], transactionHash: [UInt8](repeating: 0x11, count: 32),
            from: Fixtures.address(Fixtures.usdc), nonce: 7))
    }

    private var status: StatusResponse {
        StatusResponse(
            policySHA256: String(repeating: "0f", count: 32), mode: .safe,
            signerAddress: Fixtures.address(Fixtures.usdc),
            killSwitch: KillSwitchState(engaged: false), nextNonce: 7, lastRebalanceAt: nil, rebalances24h: 1,
            turnover24hBps: 3000, audit: audit)
    }

    @Test func rejectedDecisionHasPinnedKeysInOrderAndNoSigned() {
        let decision = DecisionResponse(
            proposalID: "p-1", outcome: .rejected,
            reasons: [Reason(code: .cooldownActive, rule: "rate.cooldown", message: "next at \"10:00\"")],
            audit: audit)
        #expect(Response.decision(decision).jsonValue.serialized() == """
            {"type":"decision","proposal_id":"p-1","decision":"rejected","reasons":[{"code":"COOLDOWN_ACTIVE",\
            "rule":"rate.cooldown","message":"next at \\"10:00\\""}],"audit":\(auditJSON)}
            """)
    }

    @Test func approvedKeeperDecisionCarriesSignedTransaction() {
        let decision = DecisionResponse(proposalID: "p-2", outcome: .approved(keeper), reasons: [], audit: audit)
        let hash = String(repeating: "11", count: 32)
        #expect(Response.decision(decision).jsonValue.serialized() == """
            {"type":"decision","proposal_id":"p-2","decision":"approved","reasons":[],"audit":\(auditJSON),\
            "signed":{"mode":"keeper","raw_transaction":"0x02f801","transaction_hash":"0x\(hash)",\
            "from":"\(Fixtures.usdc)","nonce":7}}
            """)
    }

    @Test func approvedSafeDecisionEmbedsTheBundleAsGiven() throws {
        let bundle = JSONValue.object(["format": .string("rebalancer/bundle@1"), "chain_id": .integer(1)])
        let decision = DecisionResponse(
            proposalID: "p-3", outcome: .approved(.safe(bundle: bundle)), reasons: [], audit: audit)
        let text = Response.decision(decision).jsonValue.serialized()
        #expect(text.hasSuffix(#","signed":{"mode":"safe","bundle":{"format":"rebalancer/bundle@1","chain_id":1}}}"#))
        #expect(try Response.decode(Array(text.utf8)) == .decision(decision))
    }

    @Test func statusHasPinnedKeysInOrderWithNulls() {
        #expect(Response.status(status).jsonValue.serialized() == """
            {"type":"status","policy_sha256":"\(String(repeating: "0f", count: 32))","mode":"safe",\
            "signer_address":"\(Fixtures.usdc)","kill_switch":{"engaged":false,"reason":null,"since":null},\
            "next_nonce":7,"last_rebalance_at":null,"rebalances_24h":1,"turnover_24h_bps":3000,"audit":\(auditJSON)}
            """)
    }

    @Test func errorResponseHasTypeCodeMessage() {
        let error = ErrorResponse(WireError(.malformedJSON, "bad \u{1}"))
        #expect(Response.error(error).jsonValue.serialized()
            == "{\"type\":\"error\",\"code\":\"MALFORMED_JSON\",\"message\":\"bad \\u0001\"}")
    }

    @Test func everyResponseRoundTrips() throws {
        var engaged = status
        engaged.killSwitch = KillSwitchState(
            engaged: true, reason: "peg lost", since: Timestamp(rfc3339: "2026-11-27T09:00:00Z"))
        engaged.lastRebalanceAt = Timestamp(rfc3339: "2026-11-27T03:00:00Z")
        engaged.mode = .keeper
        let responses: [Response] = [
            .status(status), .status(engaged),
            .decision(DecisionResponse(proposalID: "p", outcome: .approved(keeper), reasons: [], audit: audit)),
            .decision(DecisionResponse(
                proposalID: "p", outcome: .rejected,
                reasons: ReasonCode.allCases.map { Reason(code: $0, rule: "r", message: "m") }, audit: audit)),
        ] + WireErrorCode.allCases.map { .error(ErrorResponse(code: $0, message: "x")) }
        for response in responses {
            #expect(try Response.decode(response.encoded()) == response)
        }
    }

    @Test func responseDecodingIgnoresUnknownKeysButNotMissingOnes() throws {
        let text = "{\"type\":\"error\",\"code\":\"BUSY\",\"message\":\"later\",\"retry_after\":1}"
        #expect(try Response.decode(Array(text.utf8)) == .error(ErrorResponse(code: .busy, message: "later")))
        do {
            _ = try Response.decode(Array("{\"type\":\"error\",\"code\":\"BUSY\"}".utf8))
            Issue.record("a response without its message decoded")
        } catch {
            #expect(error.code == .missingField)
        }
    }

    @Test func responseDecodingStillRejectsDuplicatesAndBadValues() {
        let cases: [(String, WireErrorCode)] = [
            ("{\"type\":\"error\",\"code\":\"BUSY\",\"code\":\"BUSY\",\"message\":\"\"}", .duplicateKey),
            ("{\"type\":\"error\",\"code\":\"NOPE\",\"message\":\"\"}", .invalidField),
            ("{\"type\":\"hello\"}", .unknownType),
            ("[]", .malformedJSON),
        ]
        for (text, code) in cases {
            do {
                _ = try Response.decode(Array(text.utf8))
                Issue.record("\(text) decoded")
            } catch {
                #expect(error.code == code, "\(text)")
            }
        }
    }

    @Test func approvedDecisionWithoutSignedIsRejected() {
        let text = """
            {"type":"decision","proposal_id":"p","decision":"approved","reasons":[],"audit":\(auditJSON)}
            """
        do {
            _ = try Response.decode(Array(text.utf8))
            Issue.record("an approval without a signature decoded")
        } catch {
            #expect(error.code == .missingField)
        }
    }

    @Test func rejectedDecisionWithSignedIsRejected() {
        let signed = keeper.jsonValue.serialized()
        let text = """
            {"type":"decision","proposal_id":"p","decision":"rejected","reasons":[],"audit":\(auditJSON),\
            "signed":\(signed)}
            """
        do {
            _ = try Response.decode(Array(text.utf8))
            Issue.record("a rejection with a signature decoded")
        } catch {
            #expect(error.code == .invalidField)
        }
    }
}
