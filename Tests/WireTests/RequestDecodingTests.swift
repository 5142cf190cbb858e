import BigInt
import Ethereum
import SigningPolicy
import Testing
import Wire

@Suite struct RequestDecodingTests {
    private func errorFor(replacing path: [String], with json: String?) -> WireError? {
        Fixtures.decodeError(Fixtures.proposalRequest(replacing: path, with: json))
    }

    // MARK: - Valid requests

    @Test func designExampleProposalDecodes() throws {
        let request = try Request.decode(Fixtures.bytes(Fixtures.designExampleRequest))
        #expect(request == .propose(Fixtures.proposal))
    }

    @Test func proposalRoundTripsThroughEncoding() throws {
        var proposal = Fixtures.proposal
        proposal.kind = .emergencyExit
        proposal.gas.maxFeePerGas = BigUInt(2).power(256) - 1
        proposal.expected.apyGainBps = -100_000
        proposal.evidence.append(.init(key: "note \"quoted\"\n", value: "é😀\u{0}"))
        let encoded = Request.propose(proposal).encoded()
        #expect(try Request.decode(encoded) == .propose(proposal))
        #expect(Request.propose(proposal).encoded() == encoded)
    }

    @Test func proposalEncodingUsesThePinnedKeysAndOrder() {
        let text = Fixtures.proposal.jsonValue.serialized()
        #expect(text == """
            {"id":"2026-11-27T09-00-a1","created_at":"2026-11-27T09:00:00Z","chain_id":1,"kind":"rebalance",\
            "targets":[{"adapter":"\(Fixtures.aaveV3Pool)","weight_bps":4500},\
            {"adapter":"\(Fixtures.curve3Pool)","weight_bps":5000}],"reserve_bps":500,"max_slippage_bps":10,\
            "gas":{"max_fee_per_gas":"30000000000","max_priority_fee_per_gas":"1000000000","gas_limit":450000},\
            "expected":{"apy_gain_bps":40,"gas_cost_bps":2,"max_risk_score":35},\
            "evidence":{"model":"ppo-2026-11","data_through":"2026-11-27T08:00:00Z"}}
            """)
    }

    @Test func evidenceIsOptionalAndDefaultsToEmpty() throws {
        let request = try Request.decode(Fixtures.bytes(Fixtures.proposalRequest(replacing: ["evidence"], with: nil)))
        guard case .propose(let proposal) = request else {
            Issue.record("expected a proposal")
            return
        }
        #expect(proposal.evidence.isEmpty)
    }

    @Test func statusRequestDecodes() throws {
        #expect(try Request.decode(Fixtures.bytes("{\"type\":\"status\"}")) == .status)
    }

    @Test func killSwitchRequestDecodesWithItsReason() throws {
        let request = try Request.decode(Fixtures.bytes("{\"reason\":\"peg lost\",\"type\":\"engage_kill_switch\"}"))
        #expect(request == .engageKillSwitch(reason: "peg lost"))
        let max = String(repeating: "é", count: 256)
        #expect(try Request.decode(Request.engageKillSwitch(reason: max).encoded()) == .engageKillSwitch(reason: max))
    }

    @Test func lowerAndUpperCaseAddressesAreAccepted() {
        #expect(errorFor(replacing: ["targets", "0", "adapter"], with: "\"\(Fixtures.aaveV3Pool.lowercased())\"")
            == nil)
        let upper = "0x" + Fixtures.aaveV3Pool.dropFirst(2).uppercased()
        #expect(errorFor(replacing: ["targets", "0", "adapter"], with: "\"\(upper)\"") == nil)
    }

    @Test func boundaryValuesAreAccepted() {
        #expect(errorFor(replacing: ["chain_id"], with: "9223372036854775807") == nil)
        #expect(errorFor(replacing: ["reserve_bps"], with: "10000") == nil)
        #expect(errorFor(replacing: ["targets", "0", "weight_bps"], with: "0") == nil)
        #expect(errorFor(replacing: ["gas", "max_fee_per_gas"], with: "\"0\"") == nil)
        #expect(errorFor(replacing: ["id"], with: "\"\(String(repeating: "a", count: 64))\"") == nil)
        #expect(errorFor(replacing: ["id"], with: "\"A-z_0.9\"") == nil)
        #expect(errorFor(replacing: ["targets"], with: "[]") == nil)
        #expect(errorFor(replacing: ["expected", "max_risk_score"], with: "100") == nil)
    }

    // MARK: - MALFORMED_JSON

    @Test(arguments: ["[]", "\"propose\"", "1", "null", "[{\"type\":\"status\"}]"])
    func topLevelThatIsNotAnObjectIsMalformedJSON(_ text: String) {
        #expect(Fixtures.decodeError(text)?.code == .malformedJSON)
    }

    @Test func truncatedRequestIsMalformedJSON() {
        let full = Fixtures.designExampleRequest
        #expect(Fixtures.decodeError(String(full.dropLast(3)))?.code == .malformedJSON)
    }

    @Test func trailingGarbageIsMalformedJSON() {
        #expect(Fixtures.decodeError("{\"type\":\"status\"} x")?.code == .malformedJSON)
        #expect(Fixtures.decodeError("{\"type\":\"status\"}{\"type\":\"status\"}")?.code == .malformedJSON)
    }

    @Test func invalidUTF8InRequestIsMalformedJSON() {
        var bytes = Fixtures.bytes("{\"type\":\"engage_kill_switch\",\"reason\":\"xx\"}")
        bytes[bytes.count - 3] = 0xC3
        #expect(Fixtures.decodeError(bytes)?.code == .malformedJSON)
    }

    @Test func nestingDeeperThanEightIsMalformedJSON() {
        let nine = "{\"type\":\"status\",\"x\":" + String(repeating: "[", count: 8) + String(repeating: "]", count: 8)
            + "}"
        #expect(Fixtures.decodeError(nine)?.code == .malformedJSON)
        let eight = "{\"type\":\"status\",\"x\":" + String(repeating: "[", count: 7) + String(repeating: "]", count: 7)
            + "}"
        #expect(Fixtures.decodeError(eight)?.code == .unknownField)
    }

    @Test func nanAndLeadingZerosAreMalformedJSON() {
        let request = Request.propose(Fixtures.proposal).jsonValue.serialized()
        #expect(Fixtures.decodeError(request) == nil)
        let reserve = "\"reserve_bps\":500"
        #expect(Fixtures.decodeError(request.replacingFirst(reserve, with: "\"reserve_bps\":NaN"))?.code
            == .malformedJSON)
        #expect(Fixtures.decodeError(request.replacingFirst(reserve, with: "\"reserve_bps\":0500"))?.code
            == .malformedJSON)
    }

    @Test func loneSurrogateIsMalformedJSON() {
        #expect(Fixtures.decodeError("{\"type\":\"engage_kill_switch\",\"reason\":\"\\ud83d\"}")?.code
            == .malformedJSON)
    }

    // MARK: - DUPLICATE_KEY

    @Test func duplicateTypeKeyIsDuplicateKey() {
        #expect(Fixtures.decodeError("{\"type\":\"status\",\"type\":\"status\"}")?.code == .duplicateKey)
    }

    @Test func duplicateKeyInsideProposalIsDuplicateKey() {
        let request = Request.propose(Fixtures.proposal).jsonValue.serialized()
            .replacingFirst("\"weight_bps\":4500", with: "\"weight_bps\":4500,\"weight_bps\":4500")
        #expect(Fixtures.decodeError(request)?.code == .duplicateKey)
    }

    // MARK: - UNKNOWN_FIELD / MISSING_FIELD / UNKNOWN_TYPE

    @Test func unknownTopLevelKeyIsUnknownField() {
        let error = Fixtures.decodeError("{\"type\":\"status\",\"verbose\":true}")
        #expect(error?.code == .unknownField)
        #expect(error?.message.hasPrefix("verbose:") == true)
    }

    @Test func unknownProposalKeyIsUnknownField() {
        let error = errorFor(replacing: ["nonce"], with: "7")
        #expect(error?.code == .unknownField)
        #expect(error?.message.hasPrefix("proposal.nonce:") == true)
    }

    @Test func unknownKeyInTargetIsUnknownField() {
        let error = errorFor(replacing: ["targets", "1", "name"], with: "\"x\"")
        #expect(error?.code == .unknownField)
        #expect(error?.message.hasPrefix("proposal.targets[1].name:") == true)
    }

    @Test(arguments: ["id", "created_at", "chain_id", "kind", "targets", "reserve_bps", "max_slippage_bps", "gas",
                      "expected"])
    func missingRequiredProposalKeyIsMissingField(_ key: String) {
        let error = errorFor(replacing: [key], with: nil)
        #expect(error?.code == .missingField)
        #expect(error?.message.hasPrefix("proposal.\(key):") == true)
    }

    @Test func missingNestedKeyNamesItsPath() {
        let error = errorFor(replacing: ["gas", "gas_limit"], with: nil)
        #expect(error?.code == .missingField)
        #expect(error?.message.hasPrefix("proposal.gas.gas_limit:") == true)
    }

    @Test func missingTypeIsMissingField() {
        #expect(Fixtures.decodeError("{}")?.code == .missingField)
        #expect(Fixtures.decodeError("{\"proposal\":{}}")?.code == .missingField)
    }

    @Test func missingProposalOrReasonIsMissingField() {
        #expect(Fixtures.decodeError("{\"type\":\"propose\"}")?.code == .missingField)
        #expect(Fixtures.decodeError("{\"type\":\"engage_kill_switch\"}")?.code == .missingField)
    }

    @Test(arguments: ["sign", "Status", "", "propose "])
    func unknownTypeValueIsUnknownType(_ type: String) {
        #expect(Fixtures.decodeError("{\"type\":\"\(type)\"}")?.code == .unknownType)
    }

    @Test func typeThatIsNotAStringIsInvalidField() {
        #expect(Fixtures.decodeError("{\"type\":1}")?.code == .invalidField)
    }

    // MARK: - INVALID_FIELD

    @Test func floatWhereIntegerExpectedIsInvalidFieldNamingThePath() {
        let error = errorFor(replacing: ["targets", "1", "weight_bps"], with: "5000.0")
        #expect(error?.code == .invalidField)
        #expect(error?.message == "proposal.targets[1].weight_bps: expected an integer")
    }

    @Test(arguments: ["1e2", "100.0", "\"100\"", "true", "null", "[100]", "{}"])
    func nonIntegerReserveIsInvalidField(_ json: String) {
        #expect(errorFor(replacing: ["reserve_bps"], with: json)?.code == .invalidField)
    }

    @Test(arguments: [
        (["reserve_bps"], "10001"), (["reserve_bps"], "-1"), (["max_slippage_bps"], "10001"),
        (["targets", "0", "weight_bps"], "-1"), (["chain_id"], "0"), (["chain_id"], "9223372036854775808"),
        (["chain_id"], "99999999999999999999999999999999999999999999"), (["gas", "gas_limit"], "-1"),
        (["gas", "gas_limit"], "18446744073709551616"), (["expected", "max_risk_score"], "101"),
        (["expected", "apy_gain_bps"], "100001"), (["expected", "apy_gain_bps"], "-100001"),
        (["expected", "gas_cost_bps"], "-1"),
    ] as [([String], String)])
    func integerOutOfRangeIsInvalidField(_ path: [String], _ json: String) {
        #expect(errorFor(replacing: path, with: json)?.code == .invalidField)
    }

    @Test(arguments: ["\"01\"", "\"\"", "\"-1\"", "\"1e9\"", "\"1.5\"", "\" 1\"", "30000000000",
                      "\"\(String(repeating: "9", count: 79))\"", "\"\(String(repeating: "9", count: 78))\""])
    func badWeiAmountIsInvalidField(_ json: String) {
        #expect(errorFor(replacing: ["gas", "max_fee_per_gas"], with: json)?.code == .invalidField)
    }

    @Test func badAddressChecksumIsInvalidField() {
        // Flip the case of one letter of a checksummed address.
        let bad = Fixtures.aaveV3Pool.replacingFirst("Bca", with: "bca")
        let error = errorFor(replacing: ["targets", "0", "adapter"], with: "\"\(bad)\"")
        #expect(error?.code == .invalidField)
        #expect(error?.message.hasPrefix("proposal.targets[0].adapter:") == true)
    }

    @Test(arguments: ["\"0x1234\"", "\"87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2\"",
                      "\"0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4Eg\"", "1"])
    func malformedAddressIsInvalidField(_ json: String) {
        #expect(errorFor(replacing: ["targets", "0", "adapter"], with: json)?.code == .invalidField)
    }

    @Test(arguments: ["\"2026-11-27T09:00:00+01:00\"", "\"2026-11-27T09:00:00.5Z\"", "\"2026-11-27 09:00:00Z\"",
                      "\"2026-11-27T09:00Z\"", "\"2026-02-30T09:00:00Z\"", "\"2026-11-27T09:00:00z\"", "1764234000"])
    func timestampWithOffsetOrBadShapeIsInvalidField(_ json: String) {
        #expect(errorFor(replacing: ["created_at"], with: json)?.code == .invalidField)
    }

    @Test(arguments: ["\"\"", "\"a b\"", "\"a/b\"", "\"é\"", "\"\(String(repeating: "a", count: 65))\"", "7"])
    func badProposalIDIsInvalidField(_ json: String) {
        #expect(errorFor(replacing: ["id"], with: json)?.code == .invalidField)
    }

    @Test(arguments: ["\"Rebalance\"", "\"emergencyExit\"", "\"\"", "0"])
    func unknownKindIsInvalidField(_ json: String) {
        #expect(errorFor(replacing: ["kind"], with: json)?.code == .invalidField)
    }

    @Test func tooManyTargetsIsInvalidField() {
        let target = "{\"adapter\":\"\(Fixtures.usdc)\",\"weight_bps\":1}"
        let json = "[" + Array(repeating: target, count: 65).joined(separator: ",") + "]"
        #expect(errorFor(replacing: ["targets"], with: json)?.code == .invalidField)
    }

    @Test func targetsThatIsNotAnArrayIsInvalidField() {
        #expect(errorFor(replacing: ["targets"], with: "{}")?.code == .invalidField)
        #expect(errorFor(replacing: ["targets"], with: "[1]")?.code == .invalidField)
    }

    @Test func evidenceBoundsAreEnforced() {
        let pairs = (0..<17).map { "\"k\($0)\":\"v\"" }.joined(separator: ",")
        #expect(errorFor(replacing: ["evidence"], with: "{\(pairs)}")?.code == .invalidField)
        #expect(errorFor(replacing: ["evidence", "n"], with: "1")?.code == .invalidField)
        let longValue = String(repeating: "v", count: 257)
        #expect(errorFor(replacing: ["evidence", "n"], with: "\"\(longValue)\"")?.code == .invalidField)
        let longKey = String(repeating: "k", count: 65)
        #expect(errorFor(replacing: ["evidence", longKey], with: "\"v\"")?.code == .invalidField)
        #expect(errorFor(replacing: ["evidence", ""], with: "\"v\"")?.code == .invalidField)
        #expect(errorFor(replacing: ["evidence"], with: "[]")?.code == .invalidField)
    }

    @Test func killSwitchReasonLongerThan256CharactersIsInvalidField() {
        let text = "{\"type\":\"engage_kill_switch\",\"reason\":\"\(String(repeating: "x", count: 257))\"}"
        #expect(Fixtures.decodeError(text)?.code == .invalidField)
        #expect(Fixtures.decodeError("{\"type\":\"engage_kill_switch\",\"reason\":5}")?.code == .invalidField)
    }

    @Test func proposalThatIsNotAnObjectIsInvalidField() {
        #expect(Fixtures.decodeError("{\"type\":\"propose\",\"proposal\":[]}")?.code == .invalidField)
    }

    @Test func peerControlledKeysAreQuotedSafelyInMessages() {
        let key = String(repeating: "k", count: 500) + "\n"
        let error = Fixtures.decodeError("{\"type\":\"status\",\"\(key.replacingFirst("\n", with: "\\n"))\":1}")
        #expect(error?.code == .unknownField)
        #expect((error?.message.count ?? 1_000) < 120)
        #expect(error?.message.contains("\n") == false)
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced (test helper; no Foundation).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        let chars = Array(self)
        let t = Array(target)
        guard !t.isEmpty, chars.count >= t.count else { return self }
        for i in 0...(chars.count - t.count) where Array(chars[i..<i + t.count]) == t {
            return String(chars[..<i]) + replacement + String(chars[(i + t.count)...])
        }
        return self
    }
}
