/// Where market data is kept: SQLite (`SQLiteMarketStore`) by default, PostgreSQL for larger deployments.
///
/// Writes are idempotent: every table has a natural unique key, and a row whose key is already stored is
/// skipped, so loading the same history twice adds nothing the second time.
public protocol MarketStore: Sendable {
    /// Stores the rows not already stored, in one transaction; returns how many were new.
    func insert(_ rows: StoreRows) throws -> Int

    /// How many rows `table` holds.
    func count(_ table: StoreTable) throws -> Int
}
