import Foundation
import TestSupport

/// Subgraph responses rebuilt from the real history rows in `SubgraphFixtureRows`, in the shape the Messari
/// schema returns them: the values (timestamps, blocks, USD amounts, token balance, APRs) are the real ones; the
/// JSON framing, the snapshot ids (`<market>-<hours since epoch>`, Messari's older id form) and
/// `inputTokenPriceUSD` (derived as TVL_USD / (token_balance / 10^6), as SOURCES.md describes) are constructed.
enum SubgraphFixture {
    /// aEthUSDC, the aToken of Aave v3's USDC reserve on Ethereum, which the Messari Aave subgraphs use as the
    /// market id.
    static let market = "0x98c23e9d8f34fefb1b7bd6a91b7ff122f4e16f5c"

    /// One CSV row, by column name.
    struct Row {
        let fields: [String: String]
        var timestamp: Int64 { Int64(Double(fields["timestamp"]!)!) }
        func double(_ column: String) -> Double? { fields[column].flatMap { $0.isEmpty ? nil : Double($0) } }
    }

    /// The rows the subgraph has: the history file forward-fills hours without a snapshot (the same timestamp,
    /// block and values repeat), and those copies are dropped. 245 of the 250 rows remain.
    static let rows: [Row] = {
        let lines = SubgraphFixtureRows.csv.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var seen = Set<Int64>()
        return lines.dropFirst().compactMap { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            precondition(cells.count == header.count, "fixture row has \(cells.count) cells: \(line)")
            let row = Row(fields: Dictionary(uniqueKeysWithValues: zip(header, cells)))
            return seen.insert(row.timestamp).inserted ? row : nil
        }
    }()

    /// The snapshot object for one row, as a JSON-compatible dictionary (edit it to make malformed variants).
    static func snapshotObject(_ row: Row, market: String = market) -> [String: Any] {
        let f = row.fields
        let integer = { (column: String) in String(Int64(Double(f[column]!)!)) }
        let tokens = Double(f["token_balance"]!)! / 1e6
        var rates = [[String: Any]]()
        let rateColumns = [
            ("lender_variable_apr", "LENDER", "VARIABLE"), ("lender_stable_apr", "LENDER", "STABLE"),
            ("borrower_variable_apr", "BORROWER", "VARIABLE"), ("borrower_stable_apr", "BORROWER", "STABLE"),
        ]
        for (column, side, type) in rateColumns where !(f[column] ?? "").isEmpty {
            rates.append(["id": "\(side)-\(type)-\(market)", "rate": f[column]!, "side": side, "type": type])
        }
        return [
            "id": "\(market)-\(row.timestamp / 3600)",
            "market": ["id": market],
            "timestamp": integer("timestamp"),
            "blockNumber": integer("block"),
            "totalValueLockedUSD": f["TVL_USD"]!,
            "totalDepositBalanceUSD": f["supplied_USD"]!,
            "totalBorrowBalanceUSD": f["borrowed_USD"]!,
            "hourlyLiquidateUSD": f["liquidations"]!,
            "inputTokenBalance": integer("token_balance"),
            "inputTokenPriceUSD": tokens > 0 ? "\(Double(f["TVL_USD"]!)! / tokens)" : "1",
            "rates": rates,
        ]
    }

    /// A complete GraphQL response body holding `objects` as the page.
    static func pageBody(_ objects: [[String: Any]]) -> String {
        json(["data": ["marketHourlySnapshots": objects]])
    }

    static func json(_ object: Any) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The variables of a recorded GraphQL request.
    static func variables(_ request: ReplayHTTPServer.Request) -> [String: Any] {
        let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
        return object?["variables"] as? [String: Any] ?? [:]
    }

    /// Answers a page query the way the subgraph does: rows of the fixture after `$after` (and through `$through`),
    /// oldest first, at most `$first`.
    static func page(for request: ReplayHTTPServer.Request) -> ReplayHTTPServer.Response {
        let variables = variables(request)
        guard let after = (variables["after"] as? String).flatMap({ Int64($0) }),
            let first = variables["first"] as? Int,
            variables["market"] as? String == market
        else { return .json(#"{"errors":[{"message":"bad variables"}]}"#, status: 400) }
        let through = (variables["through"] as? String).flatMap { Int64($0) } ?? .max
        let selected = rows.filter { $0.timestamp > after && $0.timestamp <= through }.prefix(first)
        return .json(pageBody(selected.map { snapshotObject($0) }))
    }
}
