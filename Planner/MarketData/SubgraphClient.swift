import BigInt
import Foundation
import SigningPolicy

/// Reads hourly market snapshots from a subgraph with the Messari lending schema (the source of the Aave history
/// files), over GraphQL POST, paging by timestamp.
///
/// Each page asks for `first: pageSize` snapshots of one market with `timestamp_gt` the last timestamp seen, oldest
/// first, and paging stops at the first page shorter than `pageSize`. Responses are decoded strictly: a missing
/// field, a number of the wrong form, a GraphQL `errors` array or a page that breaks the query's contract is a
/// typed error, never a partial result.
public struct SubgraphClient: Sendable {
    /// The Graph refuses `first` above 1000.
    public static let maxPageSize = 1000

    public let url: URL
    public let transport: any HTTPTransport
    public let pageSize: Int
    /// Per request (each page, each attempt).
    public let timeout: Swift.Duration

    public init(
        url: URL,
        transport: any HTTPTransport = HTTPRetryingTransport(base: HTTPURLSessionTransport()),
        pageSize: Int = maxPageSize,
        timeout: Swift.Duration = .seconds(30)
    ) {
        self.url = url
        self.transport = transport
        self.pageSize = min(max(1, pageSize), Self.maxPageSize)
        self.timeout = timeout
    }

    /// Every snapshot of `market` with a timestamp after `after` (exclusive) and up to `through` (inclusive, if
    /// given), oldest first, each exactly once.
    public func marketHourlySnapshots(
        market: String, after: Timestamp = Timestamp(seconds: 0), through: Timestamp? = nil
    ) async throws -> [SubgraphMarketSnapshot] {
        var all = [SubgraphMarketSnapshot]()
        var cursor = after
        while true {
            let page = try await marketHourlySnapshotsPage(market: market, after: cursor, through: through)
            all += page
            guard page.count == pageSize, let last = page.last else { return all }
            cursor = last.timestamp
        }
    }

    /// One page: up to `pageSize` snapshots strictly after `after`, oldest first, checked against the query.
    public func marketHourlySnapshotsPage(
        market: String, after: Timestamp, through: Timestamp? = nil
    ) async throws -> [SubgraphMarketSnapshot] {
        let marketID = market.lowercased()
        let body = try JSONEncoder().encode(
            SubgraphWire.Request(
                query: through == nil ? Self.query : Self.boundedQuery,
                variables: .init(
                    market: marketID, after: String(after.seconds), through: through.map { String($0.seconds) },
                    first: pageSize)))
        let response = try await transport.send(
            HTTPRequest(
                url: url, headers: ["Content-Type": "application/json", "Accept": "application/json"],
                body: [UInt8](body), timeout: timeout))
        let snapshots = try Self.decodePage(response)
        try check(snapshots, market: marketID, after: after, through: through)
        return snapshots
    }

    // MARK: Query

    private static let fields = """
        id market { id } timestamp blockNumber totalValueLockedUSD totalDepositBalanceUSD totalBorrowBalanceUSD \
        hourlyLiquidateUSD inputTokenBalance inputTokenPriceUSD rates { rate side type }
        """

    /// The page query; `$after` is exclusive.
    public static let query = """
        query MarketHourlySnapshots($market: String!, $after: BigInt!, $first: Int!) {
          marketHourlySnapshots(first: $first, where: {market: $market, timestamp_gt: $after}, \
        orderBy: timestamp, orderDirection: asc) { \(fields) }
        }
        """

    /// The page query with an inclusive upper bound `$through`.
    public static let boundedQuery = """
        query MarketHourlySnapshots($market: String!, $after: BigInt!, $through: BigInt!, $first: Int!) {
          marketHourlySnapshots(first: $first, where: {market: $market, timestamp_gt: $after, \
        timestamp_lte: $through}, orderBy: timestamp, orderDirection: asc) { \(fields) }
        }
        """

    // MARK: Decoding

    static func decodePage(_ response: HTTPResponse) throws -> [SubgraphMarketSnapshot] {
        let decoder = JSONDecoder()
        let data = Data(response.body)
        // Errors first: a GraphQL error is reported as such whatever else the body holds, and whatever the status.
        if let errors = (try? decoder.decode(SubgraphWire.ErrorsOnly.self, from: data))?.errors, !errors.isEmpty {
            let messages = errors.map { $0.message ?? "(no message)" }
            throw SubgraphError(
                .graphQLErrors, "subgraph answered with errors: \(messages.joined(separator: "; "))",
                messages: messages)
        }
        guard response.isSuccess else {
            throw HTTPError(.unexpectedStatus, "subgraph answered HTTP \(response.status)", status: response.status)
        }
        let wire: SubgraphWire.DataOnly
        do {
            wire = try decoder.decode(SubgraphWire.DataOnly.self, from: data)
        } catch {
            throw SubgraphError(.malformedResponse, "subgraph response does not decode: \(Self.describe(error))")
        }
        return try wire.data.marketHourlySnapshots.enumerated().map { index, row in
            try snapshot(row, "marketHourlySnapshots[\(index)]")
        }
    }

    private static func snapshot(_ row: SubgraphWire.Snapshot, _ path: String) throws -> SubgraphMarketSnapshot {
        let timestamp = try SubgraphWire.bigInt(row.timestamp, "\(path).timestamp")
        let block = try SubgraphWire.bigInt(row.blockNumber, "\(path).blockNumber")
        guard timestamp <= BigUInt(Int64.max), block <= BigUInt(UInt64.max) else {
            throw SubgraphError(.malformedResponse, "\(path): timestamp or block number out of range")
        }
        let rates = try (row.rates ?? []).enumerated().map { index, rate in
            guard let side = SubgraphRate.Side(rawValue: rate.side), let kind = SubgraphRate.Kind(rawValue: rate.type)
            else {
                throw SubgraphError(
                    .malformedResponse, "\(path).rates[\(index)]: unknown side/type \(rate.side)/\(rate.type)")
            }
            return SubgraphRate(
                side: side, kind: kind, ratePercent: try SubgraphWire.bigDecimal(rate.rate, "\(path).rates[\(index)]"))
        }
        return SubgraphMarketSnapshot(
            id: row.id,
            market: row.market.id.lowercased(),
            timestamp: Timestamp(seconds: Int64(timestamp)),
            blockNumber: UInt64(block),
            totalValueLockedUSD: try SubgraphWire.bigDecimal(row.totalValueLockedUSD, "\(path).totalValueLockedUSD"),
            totalDepositBalanceUSD: try SubgraphWire.bigDecimal(
                row.totalDepositBalanceUSD, "\(path).totalDepositBalanceUSD"),
            totalBorrowBalanceUSD: try SubgraphWire.bigDecimal(
                row.totalBorrowBalanceUSD, "\(path).totalBorrowBalanceUSD"),
            hourlyLiquidateUSD: try SubgraphWire.bigDecimal(row.hourlyLiquidateUSD, "\(path).hourlyLiquidateUSD"),
            inputTokenBalance: try SubgraphWire.bigInt(row.inputTokenBalance, "\(path).inputTokenBalance"),
            inputTokenPriceUSD: try SubgraphWire.bigDecimal(row.inputTokenPriceUSD, "\(path).inputTokenPriceUSD"),
            rates: rates)
    }

    private func check(
        _ page: [SubgraphMarketSnapshot], market: String, after: Timestamp, through: Timestamp?
    ) throws {
        guard page.count <= pageSize else {
            throw SubgraphError(.inconsistentPage, "asked for \(pageSize) snapshots, got \(page.count)")
        }
        var previous = after
        for snapshot in page {
            guard snapshot.market == market else {
                throw SubgraphError(.inconsistentPage, "snapshot \(snapshot.id) is of market \(snapshot.market)")
            }
            guard snapshot.timestamp > previous else {
                throw SubgraphError(
                    .inconsistentPage,
                    "snapshot \(snapshot.id) at \(snapshot.timestamp.seconds) is not after \(previous.seconds)")
            }
            if let through, snapshot.timestamp > through {
                throw SubgraphError(.inconsistentPage, "snapshot \(snapshot.id) is after \(through.seconds)")
            }
            previous = snapshot.timestamp
        }
    }

    private static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context)).\(key.stringValue)"
        case .typeMismatch(let type, let context): return "\(path(context)) is not a \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)) is null, expected \(type)"
        case .dataCorrupted(let context): return "not JSON (\(context.debugDescription)) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
