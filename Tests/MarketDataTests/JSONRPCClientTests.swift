import BigInt
import Ethereum
import Foundation
import MarketData
import Testing
import TestSupport

/// The JSON-RPC client and its Aave and Chainlink readers against a real local server replaying a node.
@Suite struct JSONRPCClientTests {
    private func client(
        _ server: ReplayHTTPServer, clock: HTTPTestClock = HTTPTestClock(), maxAttempts: Int = 3,
        timeout: Swift.Duration = .seconds(5)
    ) -> JSONRPCClient {
        let transport = HTTPRetryingTransport(
            base: HTTPURLSessionTransport(),
            policy: HTTPRetryPolicy(maxAttempts: maxAttempts, baseDelay: .seconds(1), jitter: 0),
            clock: clock, jitterSeed: 1)
        return JSONRPCClient(url: server.url, transport: transport, timeout: timeout)
    }

    private func node() throws -> ReplayHTTPServer {
        try ReplayHTTPServer { request, _ in JSONRPCFixture.node(request) }
    }

    // MARK: Typed readers

    @Test func getReserveDataDecodesEveryFieldOfTheV3Layout() async throws {
        let server = try node()
        let pool = AaveV3PoolRPC(client: client(server), pool: JSONRPCFixture.pool)
        let reserve = try await pool.reserveData(asset: JSONRPCFixture.usdc, block: .number(16_803_513))
        #expect(reserve.abiValues == JSONRPCFixture.reserve)
        #expect(reserve.currentLiquidityRate == BigUInt("18250307109765247000000000"))
        #expect(reserve.lastUpdateTimestamp == 1_678_521_575)
        #expect(reserve.id == 3)
        #expect(reserve.aTokenAddress.checksummed == "0x98C23E9d8f34FEFb1B7BD6a91B7FF122F4e16F5c")
        #expect(reserve.unbacked == 0)

        let (method, params, _) = JSONRPCFixture.call(try #require(server.requests.first))
        #expect(method == "eth_call")
        let call = try #require(params.first as? [String: String])
        #expect(call["to"] == "0x87870bca3f3fd6335c3f4ce8392d69350b4fa4e2")
        // Known answer: selector 0x35ea6a75, then USDC's address in one word.
        #expect(call["data"] == "0x35ea6a75000000000000000000000000a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48")
        #expect(params.last as? String == "0x10066b9")
    }

    @Test func liquidityRateInRayConvertsToAPYCompoundedEverySecond() async throws {
        let server = try node()
        let reserve = try await AaveV3PoolRPC(client: client(server), pool: JSONRPCFixture.pool)
            .reserveData(asset: JSONRPCFixture.usdc)
        // (1 + 0.018250307109765247 / 31536000)^31536000 − 1, by hand to 60 digits (Python decimal):
        // 0.018417861714780151885…; the APR alone would be 0.0182503.
        #expect(abs(reserve.liquidityAPY - 0.018417861714780151885) < 1e-15)
        #expect(abs(reserve.liquidityAPR - 0.018250307109765247) < 1e-17)
        // 0.030020821671226250 APR → 0.030475989947685941809…
        #expect(abs(reserve.variableBorrowAPY - 0.030475989947685941809) < 1e-15)
    }

    @Test func fivePercentInRayIsAnAPYJustBelowContinuousCompounding() {
        let fivePercent = BigUInt(5) * BigUInt(10).power(25)
        // (1 + 0.05/31536000)^31536000 − 1 = 0.051271096334354555…; e^0.05 − 1 = 0.051271096376024…
        let apy = AaveV3PoolRPC.ReserveData.apy(fromRayRate: fivePercent)
        #expect(abs(apy - 0.051271096334354555) < 1e-15)
        #expect(apy < expm1(0.05))
        #expect(AaveV3PoolRPC.ReserveData.apy(fromRayRate: 0) == 0)
    }

    @Test func latestRoundDataDecodesTheDePegRoundAndScalesByDecimals() async throws {
        let server = try node()
        let feed = ChainlinkAggregatorRPC(client: client(server), aggregator: JSONRPCFixture.usdcUSDFeed)
        let round = try await feed.latestRoundData()
        let decimals = try await feed.decimals()
        #expect(round.abiValues == JSONRPCFixture.depegRound)
        #expect(round.roundId == BigUInt("36893488147419104215"))
        #expect(round.roundId >> 64 == 2, "phase 2")
        #expect(round.roundId & BigUInt(UInt64.max) == 983, "aggregator round 983")
        #expect(round.answer == 88_000_000)
        #expect(round.updatedAt == 1_678_521_083)
        #expect(decimals == 8)
        #expect(round.price(decimals: decimals) == 0.88)
        let selectors = server.requests.map { request in
            ((JSONRPCFixture.call(request).params.first as? [String: String])?["data"]) ?? ""
        }
        #expect(selectors == ["0xfeaf968c", "0x313ce567"])
    }

    @Test func negativeAnswerKeepsItsSign() throws {
        let round = ChainlinkAggregatorRPC.RoundData(
            roundId: 1, answer: -150_000_000, startedAt: 0, updatedAt: 0, answeredInRound: 1)
        #expect(round.price(decimals: 8) == -1.5)
    }

    @Test func feeHistoryDecodesBaseFeesRatiosAndRewards() async throws {
        let server = try node()
        let history = try await client(server).feeHistory(
            blockCount: 3, newestBlock: .latest, rewardPercentiles: [25, 75])
        #expect(history.oldestBlock == 0x1005ab1)
        #expect(history.baseFeePerGas == [1_000_000_000, 1_024_151_388, 972_072_114, 974_925_328])
        #expect(history.nextBaseFeePerGas == 974_925_328)
        #expect(history.gasUsedRatio == [0.5527, 0.3312, 0.5119])
        #expect(history.reward == [
            [100_000_000, 2_000_000_000], [1_000_000_000, 2_500_000_000], [50_000_000, 1_500_000_000],
        ])
        let (method, params, _) = JSONRPCFixture.call(try #require(server.requests.first))
        #expect(method == "eth_feeHistory")
        #expect(params.count == 3)
        #expect(params[0] as? String == "0x3")
        #expect(params[1] as? String == "latest")
        #expect(params[2] as? [Double] == [25, 75])
    }

    @Test func feeHistoryWithMismatchedLengthsIsAnInvalidResult() async throws {
        var short = JSONRPCFixture.feeHistory
        short["baseFeePerGas"] = ["0x3b9aca00", "0x3d0b4f5c"]
        let result = SubgraphFixture.json(short)
        let server = try ReplayHTTPServer { request, _ in JSONRPCFixture.reply(to: request, resultJSON: result) }
        let error = await #expect(throws: JSONRPCError.self) {
            try await client(server).feeHistory(blockCount: 3, rewardPercentiles: [25, 75])
        }
        #expect(error?.code == .invalidResult)
    }

    @Test func feeHistoryWithoutRewardRowsForRequestedPercentilesIsAnInvalidResult() async throws {
        var noReward = JSONRPCFixture.feeHistory
        noReward["reward"] = nil
        let result = SubgraphFixture.json(noReward)
        let server = try ReplayHTTPServer { request, _ in JSONRPCFixture.reply(to: request, resultJSON: result) }
        let error = await #expect(throws: JSONRPCError.self) {
            try await client(server).feeHistory(blockCount: 3, rewardPercentiles: [50])
        }
        #expect(error?.code == .invalidResult)
    }

    @Test func feeHistoryRefusesUnsortedPercentilesWithoutSending() async throws {
        let server = try node()
        let error = await #expect(throws: JSONRPCError.self) {
            try await client(server).feeHistory(blockCount: 3, rewardPercentiles: [75, 25])
        }
        #expect(error?.code == .invalidArgument)
        #expect(server.requests.isEmpty)
    }

    @Test func blockNumberDecodesTheHexQuantity() async throws {
        #expect(try await client(try node()).blockNumber() == 0x1005abb)
    }

    @Test(arguments: ["1005abb", "0x", "0xg1", "0x" + String(repeating: "f", count: 65)])
    func quantityThatIsNotHexIsAnInvalidResult(text: String) async throws {
        let server = try ReplayHTTPServer { request, _ in JSONRPCFixture.reply(to: request, result: text) }
        let error = await #expect(throws: JSONRPCError.self) { try await client(server).blockNumber() }
        #expect(error?.code == .invalidResult)
    }

    @Test func emptyReturnDataFromACallIsAnInvalidResult() async throws {
        // What a node returns for a call to an address without code.
        let server = try ReplayHTTPServer { request, _ in JSONRPCFixture.reply(to: request, result: "0x") }
        let pool = AaveV3PoolRPC(client: client(server), pool: JSONRPCFixture.pool)
        let error = await #expect(throws: JSONRPCError.self) { try await pool.reserveData(asset: JSONRPCFixture.usdc) }
        #expect(error?.code == .invalidResult)
    }

    @Test func reserveDataWithAnOversizedFieldIsAnInvalidResult() async throws {
        // uint16 `id` word holding 2^16: the strict decoder refuses nonzero high bits.
        var bytes = try Hex.decode(JSONRPCFixture.reserveReturnData, requirePrefix: true)
        bytes[7 * 32 + 29] = 1
        let data = Hex.encode(bytes)
        let server = try ReplayHTTPServer { request, _ in JSONRPCFixture.reply(to: request, result: data) }
        let pool = AaveV3PoolRPC(client: client(server), pool: JSONRPCFixture.pool)
        let error = await #expect(throws: JSONRPCError.self) { try await pool.reserveData(asset: JSONRPCFixture.usdc) }
        #expect(error?.code == .invalidResult)
    }

    // MARK: Protocol errors

    @Test func errorObjectIsAServerErrorWithCodeMessageAndData() async throws {
        let server = try ReplayHTTPServer { request, _ in
            JSONRPCFixture.error(to: request, code: 3, message: "execution reverted", data: "0x08c379a0")
        }
        let error = await #expect(throws: JSONRPCError.self) {
            try await client(server).ethCall(to: JSONRPCFixture.pool, data: [1, 2, 3, 4])
        }
        #expect(error?.code == .serverError)
        #expect(error?.rpcCode == 3)
        #expect(error?.data == "0x08c379a0")
        #expect(error?.description.contains("execution reverted") == true)
        #expect(server.requests.count == 1, "an error object is an answer, not retried")
    }

    @Test func unknownMethodIsAServerError() async throws {
        let error = await #expect(throws: JSONRPCError.self) {
            try await client(try node()).call("eth_nonsense", [], as: String.self)
        }
        #expect(error?.code == .serverError)
        #expect(error?.rpcCode == -32601)
    }

    @Test func parseErrorWithNullIdIsStillReportedAsTheServerError() async throws {
        let body = #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}"#
        let server = try ReplayHTTPServer(script: [.json(body)])
        let error = await #expect(throws: JSONRPCError.self) { try await client(server).blockNumber() }
        #expect(error?.code == .serverError)
        #expect(error?.rpcCode == -32700)
    }

    @Test func mismatchedIdIsATypedError() async throws {
        let server = try ReplayHTTPServer(script: [.json(#"{"jsonrpc":"2.0","id":99,"result":"0x1"}"#)])
        let error = await #expect(throws: JSONRPCError.self) { try await client(server).blockNumber() }
        #expect(error?.code == .idMismatch)
    }

    @Test func idAsAStringIsAMismatch() async throws {
        let server = try ReplayHTTPServer(script: [.json(#"{"jsonrpc":"2.0","id":"1","result":"0x1"}"#)])
        let error = await #expect(throws: JSONRPCError.self) { try await client(server).blockNumber() }
        #expect(error?.code == .idMismatch)
    }

    @Test func errorObjectForAnotherIdIsAMismatch() async throws {
        let body = #"{"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"header not found"}}"#
        let server = try ReplayHTTPServer(script: [.json(body)])
        let error = await #expect(throws: JSONRPCError.self) { try await client(server).blockNumber() }
        #expect(error?.code == .idMismatch)
    }

    @Test func requestIdsIncreaseAndEachResponseMustCarryItsOwn() async throws {
        let server = try node()
        let rpc = client(server)
        _ = try await rpc.blockNumber()
        _ = try await rpc.blockNumber()
        let ids = server.requests.map { JSONRPCFixture.call($0).id as? Int }
        #expect(ids == [1, 2])
        let body = try #require(server.requests.first?.bodyText)
        #expect(body.contains(#""jsonrpc":"2.0""#))
    }

    @Test func truncatedBodyIsAMalformedResponse() async throws {
        let full = #"{"jsonrpc":"2.0","id":1,"result":"0x1005abb"}"#
        let server = try ReplayHTTPServer(script: [.json(String(full.prefix(30)))])
        let error = await #expect(throws: JSONRPCError.self) { try await client(server).blockNumber() }
        #expect(error?.code == .malformedResponse)
    }

    @Test(arguments: [
        "<html>502 Bad Gateway</html>",
        "",
        #"[{"jsonrpc":"2.0","id":1,"result":"0x1"}]"#,
        #"{"id":1,"result":"0x1"}"#,
        #"{"jsonrpc":"1.0","id":1,"result":"0x1"}"#,
        #"{"jsonrpc":"2.0","id":1}"#,
        #"{"jsonrpc":"2.0","id":1,"result":12}"#,
    ])
    func bodyThatIsNotAJSONRPCResponseIsMalformed(body: String) async throws {
        let server = try ReplayHTTPServer(script: [.json(body)])
        let error = await #expect(throws: JSONRPCError.self) { try await client(server).blockNumber() }
        #expect(error?.code == .malformedResponse)
    }

    // MARK: Transport behaviour through the client

    @Test func tooManyRequestsIsRetriedAfterRetryAfter() async throws {
        let server = try ReplayHTTPServer { request, index in
            index == 0
                ? .json(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32005,"message":"rate limited"}}"#,
                    status: 429, headers: [("Retry-After", "2")])
                : JSONRPCFixture.node(request)
        }
        let clock = HTTPTestClock()
        #expect(try await client(server, clock: clock).blockNumber() == 0x1005abb)
        #expect(clock.sleeps == [.seconds(2)])
        let ids = server.requests.map { JSONRPCFixture.call($0).id as? Int }
        #expect(ids == [1, 1], "a retry repeats the same request")
    }

    @Test func serverErrorsExhaustTheRetries() async throws {
        let server = try ReplayHTTPServer { _, _ in .json("", status: 502) }
        let clock = HTTPTestClock()
        let error = await #expect(throws: HTTPError.self) { try await client(server, clock: clock).blockNumber() }
        #expect(error?.code == .retriesExhausted)
        #expect(server.requests.count == 3)
        #expect(clock.sleeps == [.seconds(1), .seconds(2)])
    }

    @Test func slowResponseTimesOutAndTheRetrySucceeds() async throws {
        let server = try ReplayHTTPServer { request, index in
            var response = JSONRPCFixture.node(request)
            if index == 0 { response.delay = .seconds(5) }
            return response
        }
        let value = try await client(server, timeout: .milliseconds(300)).blockNumber()
        #expect(value == 0x1005abb)
        #expect(server.requests.count == 2)
    }

    @Test func forbiddenWithoutAnErrorObjectIsAnUnexpectedStatus() async throws {
        let server = try ReplayHTTPServer(script: [.json("invalid project id", status: 403)])
        let error = await #expect(throws: HTTPError.self) { try await client(server).blockNumber() }
        #expect(error?.code == .unexpectedStatus)
        #expect(error?.status == 403)
        #expect(server.requests.count == 1)
    }
}
