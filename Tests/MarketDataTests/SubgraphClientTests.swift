import Foundation
import MarketData
import SigningPolicy
import Testing
import TestSupport

/// The subgraph client against a real local server replaying pages rebuilt from the real Aave v3 USDC history.
@Suite struct SubgraphClientTests {
    private let rows = SubgraphFixture.rows

    private func client(
        _ server: ReplayHTTPServer, pageSize: Int = 100, clock: HTTPTestClock = HTTPTestClock(),
        maxAttempts: Int = 4, limiter: HTTPRateLimiter? = nil, timeout: Swift.Duration = .seconds(5)
    ) -> SubgraphClient {
        let transport = HTTPRetryingTransport(
            base: HTTPURLSessionTransport(),
            policy: HTTPRetryPolicy(maxAttempts: maxAttempts, baseDelay: .seconds(1), jitter: 0),
            rateLimiter: limiter, clock: clock, jitterSeed: 1)
        return SubgraphClient(
            url: server.url(path: "subgraphs/name/messari/aave-v3-ethereum"), transport: transport,
            pageSize: pageSize, timeout: timeout)
    }

    private func onePage(_ objects: [[String: Any]]) throws -> ReplayHTTPServer {
        try ReplayHTTPServer(script: [.json(SubgraphFixture.pageBody(objects))])
    }

    // MARK: Pagination

    @Test func paginationAcrossThreePagesReturnsEveryRowOnceInOrder() async throws {
        let server = try ReplayHTTPServer { request, _ in SubgraphFixture.page(for: request) }
        let snapshots = try await client(server).marketHourlySnapshots(market: SubgraphFixture.market)
        #expect(rows.count == 245)
        #expect(snapshots.count == rows.count)
        #expect(snapshots.map(\.timestamp.seconds) == rows.map(\.timestamp))
        #expect(Set(snapshots.map(\.id)).count == rows.count)
        #expect(snapshots.map(\.totalValueLockedUSD) == rows.map { $0.double("TVL_USD")! })
        let cursors = server.requests.map { SubgraphFixture.variables($0)["after"] as? String }
        #expect(cursors == ["0", String(rows[99].timestamp), String(rows[199].timestamp)])
    }

    @Test func pageSizeDividingTheRowsEndsOnAnEmptyPage() async throws {
        let server = try ReplayHTTPServer { request, _ in SubgraphFixture.page(for: request) }
        let snapshots = try await client(server, pageSize: 49).marketHourlySnapshots(market: SubgraphFixture.market)
        #expect(snapshots.map(\.timestamp.seconds) == rows.map(\.timestamp))
        #expect(server.requests.count == 6, "five full pages of 49, then an empty one")
    }

    @Test func afterAndThroughBoundTheSnapshots() async throws {
        let server = try ReplayHTTPServer { request, _ in SubgraphFixture.page(for: request) }
        let snapshots = try await client(server, pageSize: 40).marketHourlySnapshots(
            market: SubgraphFixture.market, after: Timestamp(seconds: rows[9].timestamp),
            through: Timestamp(seconds: rows[109].timestamp))
        #expect(snapshots.map(\.timestamp.seconds) == rows[10...109].map(\.timestamp))
        #expect(server.requests.allSatisfy { $0.bodyText.contains("timestamp_lte: $through") })
    }

    @Test func requestIsTheMessariQueryWithVariables() async throws {
        let server = try onePage([])
        _ = try await client(server, pageSize: 50).marketHourlySnapshots(market: SubgraphFixture.market.uppercased()
            .replacingOccurrences(of: "0X", with: "0x"))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.headers["content-type"] == "application/json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        let query = try #require(object["query"] as? String)
        #expect(query.contains("marketHourlySnapshots(first: $first, where: {market: $market, timestamp_gt: $after}"))
        #expect(query.contains("orderBy: timestamp, orderDirection: asc"))
        #expect(query.contains("rates { rate side type }"))
        let variables = SubgraphFixture.variables(request)
        #expect(variables["market"] as? String == SubgraphFixture.market, "market ids are sent lower-cased")
        #expect(variables["first"] as? Int == 50)
        #expect(variables["after"] as? String == "0")
    }

    // MARK: Mapping

    @Test func snapshotFieldsMatchTheHistoryFileRow() async throws {
        // 2023-03-11 08:00, the hour the implied USDC price was lowest in this excerpt (0.8833).
        let row = try #require(rows.first { $0.fields["datetime_utc"] == "2023-03-11 08:00:00" })
        let server = try onePage([SubgraphFixture.snapshotObject(row)])
        let snapshots = try await client(server).marketHourlySnapshots(market: SubgraphFixture.market)
        let snapshot = try #require(snapshots.first)
        #expect(snapshot.market == SubgraphFixture.market)
        #expect(snapshot.timestamp.seconds == row.timestamp)
        #expect(snapshot.blockNumber == UInt64(row.double("block")!))
        #expect(snapshot.totalValueLockedUSD == row.double("TVL_USD"))
        #expect(snapshot.totalDepositBalanceUSD == row.double("supplied_USD"))
        #expect(snapshot.totalBorrowBalanceUSD == row.double("borrowed_USD"))
        #expect(snapshot.hourlyLiquidateUSD == row.double("liquidations"))
        #expect(snapshot.inputTokenBalance.description == String(Int64(row.double("token_balance")!)))
        #expect(snapshot.ratePercent(.lender, .variable) == row.double("lender_variable_apr"))
        #expect(snapshot.ratePercent(.borrower, .variable) == row.double("borrower_variable_apr"))
        #expect(snapshot.ratePercent(.borrower, .stable) == row.double("borrower_stable_apr"))
        #expect(snapshot.ratePercent(.lender, .stable) == nil, "the file has no lender stable rate")
        #expect(abs(snapshot.inputTokenPriceUSD - 0.8833) < 1e-4, "the de-peg hour prices USDC well below 1")
        let utilization = try #require(snapshot.utilization)
        #expect(abs(utilization - row.double("borrowed_USD")! / row.double("supplied_USD")!) < 1e-12)
    }

    @Test func nullRatesDecodeAsNoRates() async throws {
        var object = SubgraphFixture.snapshotObject(rows[0])
        object["rates"] = NSNull()
        let snapshots = try await client(try onePage([object])).marketHourlySnapshots(market: SubgraphFixture.market)
        #expect(snapshots.first?.rates == [])
    }

    // MARK: Malformed and error responses

    private func expectSubgraphError(
        _ code: SubgraphError.Code, server: ReplayHTTPServer, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> SubgraphError? {
        let error = await #expect(throws: SubgraphError.self, sourceLocation: sourceLocation) {
            try await client(server).marketHourlySnapshots(market: SubgraphFixture.market)
        }
        #expect(error?.code == code, "\(String(describing: error))", sourceLocation: sourceLocation)
        return error
    }

    @Test func graphQLErrorsArrayIsATypedError() async throws {
        let body = #"{"errors":[{"message":"Type `Query` has no field `marketHourlySnapshot`"}]}"#
        let server = try ReplayHTTPServer(script: [.json(body)])
        let error = await expectSubgraphError(.graphQLErrors, server: server)
        #expect(error?.messages == ["Type `Query` has no field `marketHourlySnapshot`"])
        #expect(server.requests.count == 1, "a GraphQL error is not retried")
    }

    @Test func graphQLErrorsAlongsidePartialDataAreStillAnError() async throws {
        let page = SubgraphFixture.pageBody([SubgraphFixture.snapshotObject(rows[0])])
        let body = String(page.dropLast()) + #","errors":[{"message":"indexing_error"}]}"#
        let error = await expectSubgraphError(.graphQLErrors, server: try ReplayHTTPServer(script: [.json(body)]))
        #expect(error?.messages == ["indexing_error"])
    }

    @Test func graphQLErrorsOnABadRequestStatusAreReportedAsGraphQLErrors() async throws {
        let body = #"{"errors":[{"message":"Variable \"$after\" got invalid value"}]}"#
        let server = try ReplayHTTPServer(script: [.json(body, status: 400), .json(SubgraphFixture.pageBody([]))])
        _ = await expectSubgraphError(.graphQLErrors, server: server)
        #expect(server.requests.count == 1)
    }

    @Test func badRequestWithoutGraphQLErrorsIsAnUnexpectedStatusAndNotRetried() async throws {
        let server = try ReplayHTTPServer(script: [
            .json("bad request", status: 400), .json(SubgraphFixture.pageBody([])),
        ])
        let error = await #expect(throws: HTTPError.self) {
            try await client(server).marketHourlySnapshots(market: SubgraphFixture.market)
        }
        #expect(error?.code == .unexpectedStatus)
        #expect(error?.status == 400)
        #expect(server.requests.count == 1)
    }

    @Test func htmlInsteadOfJSONIsAMalformedResponse() async throws {
        let html = ReplayHTTPServer.Response(
            headers: [("Content-Type", "text/html")], body: Array("<html><body>502 Bad Gateway</body></html>".utf8))
        _ = await expectSubgraphError(.malformedResponse, server: try ReplayHTTPServer(script: [html]))
    }

    @Test func truncatedJSONBodyIsAMalformedResponse() async throws {
        let page = SubgraphFixture.pageBody(rows.prefix(3).map { SubgraphFixture.snapshotObject($0) })
        let server = try ReplayHTTPServer(script: [.json(String(page.prefix(page.count / 2)))])
        _ = await expectSubgraphError(.malformedResponse, server: server)
    }

    @Test func emptyBodyIsAMalformedResponse() async throws {
        _ = await expectSubgraphError(.malformedResponse, server: try ReplayHTTPServer(script: [.json("")]))
    }

    @Test func nullDataWithoutErrorsIsAMalformedResponse() async throws {
        let server = try ReplayHTTPServer(script: [.json(#"{"data":null}"#)])
        _ = await expectSubgraphError(.malformedResponse, server: server)
    }

    @Test func missingFieldIsAMalformedResponse() async throws {
        var object = SubgraphFixture.snapshotObject(rows[0])
        object["inputTokenBalance"] = nil
        let error = await expectSubgraphError(.malformedResponse, server: try onePage([object]))
        #expect(error?.description.contains("inputTokenBalance") == true)
    }

    @Test func numberWhereTheSchemaSendsAStringIsAMalformedResponse() async throws {
        var object = SubgraphFixture.snapshotObject(rows[0])
        object["timestamp"] = rows[0].timestamp
        _ = await expectSubgraphError(.malformedResponse, server: try onePage([object]))
    }

    @Test func bigIntWithAFractionIsAMalformedResponse() async throws {
        var object = SubgraphFixture.snapshotObject(rows[0])
        object["blockNumber"] = "16779755.0"
        _ = await expectSubgraphError(.malformedResponse, server: try onePage([object]))
    }

    @Test(arguments: ["NaN", "inf", "0x1p3", "", "1.2.3", "--1", "1e"])
    func bigDecimalThatIsNotAFiniteDecimalIsAMalformedResponse(text: String) async throws {
        var object = SubgraphFixture.snapshotObject(rows[0])
        object["totalValueLockedUSD"] = text
        _ = await expectSubgraphError(.malformedResponse, server: try onePage([object]))
    }

    @Test func bigDecimalInExponentFormIsAccepted() async throws {
        var object = SubgraphFixture.snapshotObject(rows[0])
        object["hourlyLiquidateUSD"] = "1.5e-7"
        let snapshots = try await client(try onePage([object])).marketHourlySnapshots(market: SubgraphFixture.market)
        #expect(snapshots.first?.hourlyLiquidateUSD == 1.5e-7)
    }

    @Test func unknownRateSideIsAMalformedResponse() async throws {
        var object = SubgraphFixture.snapshotObject(rows[0])
        object["rates"] = [["id": "x", "rate": "1.0", "side": "SUPPLIER", "type": "VARIABLE"]]
        _ = await expectSubgraphError(.malformedResponse, server: try onePage([object]))
    }

    // MARK: Pages that break the query's contract

    @Test func snapshotOfAnotherMarketIsAnInconsistentPage() async throws {
        let other = SubgraphFixture.snapshotObject(rows[0], market: "0x0000000000000000000000000000000000000001")
        _ = await expectSubgraphError(.inconsistentPage, server: try onePage([other]))
    }

    @Test func timestampsOutOfOrderAreAnInconsistentPage() async throws {
        let objects = [rows[1], rows[0]].map { SubgraphFixture.snapshotObject($0) }
        _ = await expectSubgraphError(.inconsistentPage, server: try onePage(objects))
    }

    @Test func serverRepeatingTheSamePageCannotLoopForever() async throws {
        // A broken server ignoring the cursor would otherwise be paged forever.
        let page = SubgraphFixture.pageBody(rows.prefix(100).map { SubgraphFixture.snapshotObject($0) })
        let server = try ReplayHTTPServer { _, _ in .json(page) }
        _ = await expectSubgraphError(.inconsistentPage, server: server)
        #expect(server.requests.count == 2)
    }

    @Test func moreRowsThanAskedForIsAnInconsistentPage() async throws {
        let objects = rows.prefix(3).map { SubgraphFixture.snapshotObject($0) }
        let server = try onePage(objects)
        let error = await #expect(throws: SubgraphError.self) {
            try await client(server, pageSize: 2).marketHourlySnapshots(market: SubgraphFixture.market)
        }
        #expect(error?.code == .inconsistentPage)
    }

    // MARK: Retries, timeouts and rate limit during pagination

    @Test func serverErrorMidPaginationIsRetriedAndPaginationCompletes() async throws {
        let server = try ReplayHTTPServer { request, index in
            index == 1 ? .json("upstream unavailable", status: 502) : SubgraphFixture.page(for: request)
        }
        let clock = HTTPTestClock()
        let snapshots = try await client(server, clock: clock).marketHourlySnapshots(market: SubgraphFixture.market)
        #expect(snapshots.map(\.timestamp.seconds) == rows.map(\.timestamp))
        #expect(server.requests.count == 4)
        #expect(clock.sleeps == [.seconds(1)])
    }

    @Test func tooManyRequestsMidPaginationWaitsRetryAfterAndCompletes() async throws {
        let server = try ReplayHTTPServer { request, index in
            index == 2
                ? .json(#"{"error":"Too many requests"}"#, status: 429, headers: [("Retry-After", "3")])
                : SubgraphFixture.page(for: request)
        }
        let clock = HTTPTestClock()
        let snapshots = try await client(server, clock: clock).marketHourlySnapshots(market: SubgraphFixture.market)
        #expect(snapshots.count == rows.count)
        #expect(clock.sleeps == [.seconds(3)])
    }

    @Test func persistentServerErrorsFailThePaginationWithRetriesExhausted() async throws {
        let server = try ReplayHTTPServer { request, index in
            index == 0 ? SubgraphFixture.page(for: request) : .json("", status: 503)
        }
        let error = await #expect(throws: HTTPError.self) {
            try await client(server, maxAttempts: 3).marketHourlySnapshots(market: SubgraphFixture.market)
        }
        #expect(error?.code == .retriesExhausted)
        #expect(error?.status == 503)
        #expect(server.requests.count == 4)
    }

    @Test func slowPageTimesOutAndTheRetryCompletesThePagination() async throws {
        let server = try ReplayHTTPServer { request, index in
            var response = SubgraphFixture.page(for: request)
            if index == 1 { response.delay = .seconds(5) }
            return response
        }
        let snapshots = try await client(server, timeout: .milliseconds(300))
            .marketHourlySnapshots(market: SubgraphFixture.market)
        #expect(snapshots.count == rows.count)
        #expect(server.requests.count == 4)
    }

    @Test func rateLimitSpacesThePagesOnTheInjectedClock() async throws {
        let server = try ReplayHTTPServer { request, _ in SubgraphFixture.page(for: request) }
        let clock = HTTPTestClock()
        let limiter = HTTPRateLimiter(requestsPerSecond: 2, clock: clock)
        let snapshots = try await client(server, clock: clock, limiter: limiter)
            .marketHourlySnapshots(market: SubgraphFixture.market)
        #expect(snapshots.count == rows.count)
        #expect(server.requests.count == 3)
        #expect(clock.sleeps == [.milliseconds(500), .milliseconds(500)])
    }
}
