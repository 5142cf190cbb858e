import Foundation
import PostgresNIO

/// The PostgreSQL market store, for deployments larger than one SQLite file: the same tables, columns and unique
/// keys as `SQLiteMarketStore`, written with batched `INSERT … ON CONFLICT DO NOTHING` inside one transaction per
/// `insert`.
///
/// Opening it creates the schema if missing. When the server offers the `timescaledb` extension, the store
/// enables it and makes the time-series tables hypertables (`usesHypertables`); otherwise, or if the extension
/// cannot be enabled (for example it is not in `shared_preload_libraries`), the tables stay plain tables.
///
/// `MarketStore` is synchronous and PostgresNIO is not: the store owns one connection on its own one-thread
/// event loop group and blocks the calling thread on the futures. Callers are never on that loop, so the waits
/// cannot deadlock; calls are serialised, so one caller's transaction never interleaves with another's.
/// `close()` (or deinit) closes the connection and shuts the group down.
public final class PostgresMarketStore: MarketStore {
    /// Where the store is.
    public let url: PostgresStoreURL
    /// Whether the time-series tables are TimescaleDB hypertables.
    public let usesHypertables: Bool

    private let group: MultiThreadedEventLoopGroup
    private let connection: PostgresConnection
    private let logger: Logger
    private let lock = NSLock()
    private nonisolated(unsafe) var isClosed = false

    /// Connects to the database at `url` (see `PostgresStoreURL`) and creates the schema if missing.
    public convenience init(url: String, connectTimeout: TimeAmount = .seconds(10)) throws {
        try self.init(url: try PostgresStoreURL(url), connectTimeout: connectTimeout)
    }

    public init(url: PostgresStoreURL, connectTimeout: TimeAmount = .seconds(10)) throws {
        self.url = url
        var logger = Logger(label: "rebalancer.postgres-store")
        logger.logLevel = .critical
        self.logger = logger
        var configuration: PostgresConnection.Configuration
        switch url.endpoint {
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: url.username, password: url.password,
                                  database: url.database, tls: .disable)
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: url.username, password: url.password,
                                  database: url.database)
        }
        configuration.options.connectTimeout = connectTimeout
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            connection = try PostgresConnection.connect(on: group.next(), configuration: configuration, id: 1,
                                                        logger: logger).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw Self.connectError(error, url)
        }
        self.group = group
        do {
            try Self.createSchema(connection, logger)
            usesHypertables = try Self.createHypertables(connection, logger)
        } catch {
            try? connection.close().wait()
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Closes the connection and stops the event loop; later calls fail with `.closed`. Safe to call twice.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { return }
        isClosed = true
        try? connection.close().wait()
        try? group.syncShutdownGracefully()
    }

    public func count(_ table: StoreTable) throws -> Int {
        try serialised {
            let result = try Self.run(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table.rawValue)"),
                                      connection, logger)
            guard let row = result.rows.first else { return 0 }
            return Int(try row.decode(Int64.self))
        }
    }

    public func insert(_ rows: StoreRows) throws -> Int {
        guard rows.count > 0 else { return 0 }
        let statements = PostgresInsert.statements(rows)
        return try serialised {
            try Self.transaction(connection, logger) {
                try statements.reduce(0) { total, statement in
                    total + (try Self.run(statement, connection, logger).metadata.rows ?? 0)
                }
            }
        }
    }

    private func serialised<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else {
            throw PostgresStoreError(.closed, "the PostgreSQL store \(url) was closed",
                                     hint: "open a new PostgresMarketStore")
        }
        return try body()
    }

    // MARK: Statements

    private static func run(_ query: PostgresQuery, _ connection: PostgresConnection, _ logger: Logger) throws
        -> PostgresQueryResult
    {
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            let sql = query.sql.prefix(80)
            throw PostgresStoreError(.statementFailed, "PostgreSQL statement failed: \(describe(error)) in \(sql)…",
                                     hint: "check the server log; the transaction was rolled back")
        }
    }

    private static func transaction<T>(_ connection: PostgresConnection, _ logger: Logger,
                                       _ body: () throws -> T) throws -> T {
        _ = try run("BEGIN", connection, logger)
        do {
            let value = try body()
            _ = try run("COMMIT", connection, logger)
            return value
        } catch {
            _ = try? run("ROLLBACK", connection, logger)
            throw error
        }
    }

    private static func createSchema(_ connection: PostgresConnection, _ logger: Logger) throws {
        try transaction(connection, logger) {
            // Two stores opening a new database at once must not race on CREATE TABLE IF NOT EXISTS.
            _ = try run("SELECT pg_advisory_xact_lock(7283019)", connection, logger)
            for statement in PostgresSchema.statements {
                _ = try run(PostgresQuery(unsafeSQL: statement), connection, logger)
            }
        }
    }

    /// Enables TimescaleDB and creates the hypertables if the server offers the extension; returns whether it did.
    private static func createHypertables(_ connection: PostgresConnection, _ logger: Logger) throws -> Bool {
        let available = try run("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'", connection,
                                logger)
        guard !available.rows.isEmpty else { return false }
        do {
            try transaction(connection, logger) {
                _ = try run("SELECT pg_advisory_xact_lock(7283019)", connection, logger)
                _ = try run("CREATE EXTENSION IF NOT EXISTS timescaledb", connection, logger)
                for (table, column, chunk) in PostgresSchema.hypertables {
                    _ = try run(PostgresQuery(unsafeSQL: """
                        SELECT create_hypertable('\(table.rawValue)', '\(column)', chunk_time_interval => \(chunk),
                        if_not_exists => TRUE, migrate_data => TRUE)
                        """), connection, logger)
                }
            }
            return true
        } catch {
            // Installed but not loadable (not preloaded): plain tables, as on a server without the extension.
            return false
        }
    }

    // MARK: Errors

    private static func connectError(_ error: any Error, _ url: PostgresStoreURL) -> PostgresStoreError {
        if let psql = error as? PSQLError, psql.serverInfo != nil {
            return PostgresStoreError(.rejected, "PostgreSQL at \(url) refused the connection: \(describe(error))",
                                      hint: "check the user, password and database name in the URL")
        }
        let address: String
        switch url.endpoint {
        case .tcp(let host, let port): address = "\(host):\(port)"
        case .unixSocket(let path): address = path
        }
        return PostgresStoreError(.unreachable, "cannot reach PostgreSQL at \(address): \(describe(error))",
                                  hint: "start the server or fix the host and port in the URL (\(url))")
    }

    /// A readable reason: the server's message when there is one (PSQLError's own description hides it).
    static func describe(_ error: any Error) -> String {
        guard let psql = error as? PSQLError else { return "\(error)" }
        if let message = psql.serverInfo?[.message] {
            let state = psql.serverInfo?[.sqlState].map { " [\($0)]" } ?? ""
            return message + state
        }
        if let underlying = psql.underlying { return "\(underlying)" }
        return "\(psql.code)"
    }
}
