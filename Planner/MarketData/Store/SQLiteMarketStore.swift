import Foundation
import GRDB

/// The SQLite market store (the default). Times are stored as whole seconds since the epoch (UTC), rates as
/// fractions or, for the raw Aave columns, as the files' percent APRs.
public final class SQLiteMarketStore: MarketStore {
    private let queue: DatabaseQueue

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try Self.migrator.migrate(queue)
    }

    public func count(_ table: StoreTable) throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.rawValue)") ?? 0 }
    }

    public func insert(_ rows: StoreRows) throws -> Int {
        guard rows.count > 0 else { return 0 }
        return try queue.write { db in
            var inserted = 0
            func run(_ sql: String, _ arguments: [[(any DatabaseValueConvertible)?]]) throws {
                let statement = try db.cachedStatement(sql: sql)
                for row in arguments {
                    try statement.execute(arguments: StatementArguments(row))
                    inserted += db.changesCount
                }
            }
            switch rows {
            case .aaveSnapshots(let snapshots):
                try run("""
                    INSERT OR IGNORE INTO aave_snapshots (market, hour, updated_at, block, tvl_usd, supplied_usd,
                    borrowed_usd, liquidations_usd, token_balance, lender_variable_apr, lender_stable_apr,
                    borrower_variable_apr, borrower_stable_apr) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
                    """, snapshots.map { s in
                        [s.market, s.hour.seconds, s.updatedAt.seconds, s.block, s.tvlUSD, s.suppliedUSD, s.borrowedUSD,
                         s.liquidationsUSD, s.tokenBalance, s.lenderVariableAPR, s.lenderStableAPR,
                         s.borrowerVariableAPR, s.borrowerStableAPR]
                    })
            case .chainlinkRounds(let rounds):
                try run("""
                    INSERT OR IGNORE INTO chainlink_rounds (feed, round_id, answer, updated_at, phase_id,
                    aggregator_round_id) VALUES (?,?,?,?,?,?)
                    """, rounds.map { r in
                        [r.feed, r.roundID, r.answer, r.updatedAt.seconds, r.phaseID, r.aggregatorRoundID]
                    })
            case .pricePoints(let points):
                try run("INSERT OR IGNORE INTO price_points (symbol, at_ms, usd) VALUES (?,?,?)",
                        points.map { [$0.symbol, $0.milliseconds, $0.usd] })
            case .uniswapPoolStates(let states):
                try run("""
                    INSERT OR IGNORE INTO uniswap_pool_states (pool, hour, timestamp, block, tick, liquidity,
                    tick_spacing, token0, token1, decimals0, decimals1) VALUES (?,?,?,?,?,?,?,?,?,?,?)
                    """, states.map { u in
                        [u.pool, u.hour.seconds, u.timestamp.seconds, u.block, u.tick, u.liquidity, u.tickSpacing,
                         u.token0, u.token1, u.decimals0, u.decimals1]
                    })
            case .etherscanDailyValues(let values):
                try run("INSERT OR IGNORE INTO etherscan_daily_values (series, day, value) VALUES (?,?,?)",
                        values.map { [$0.series, $0.day.seconds, $0.value] })
            case .compoundMarketDays(let days):
                try run("""
                    INSERT OR IGNORE INTO compound_market_days (symbol, day, total_supply, total_borrow)
                    VALUES (?,?,?,?)
                    """, days.map { [$0.symbol, $0.day.seconds, $0.totalSupply, $0.totalBorrow] })
            case .incidents(let incidents):
                try run("""
                    INSERT OR IGNORE INTO incidents (content_key, occurrence, date, name, attack_type, lost,
                    loss_type, contract, chain) VALUES (?,?,?,?,?,?,?,?,?)
                    """, incidents.map { i in
                        [i.contentKey, i.occurrence, i.date.seconds, i.name, i.attackType, i.lost, i.lossType,
                         i.contract, i.chain]
                    })
            case .protocolMetrics(let metrics):
                try run("""
                    INSERT OR IGNORE INTO protocol_metrics (timestamp, protocol_id, apy, tvl_usd, utilization_rate,
                    risk_score, liquidity_depth) VALUES (?,?,?,?,?,?,?)
                    """, metrics.map { m in
                        [m.timestamp.seconds, m.protocolID, m.apy, m.tvlUSD, m.utilizationRate, m.riskScore,
                         m.liquidityDepthUSD]
                    })
            case .portfolioSnapshots(let snapshots):
                try run("""
                    INSERT OR IGNORE INTO portfolio_snapshots (timestamp, portfolio_value_usd, allocations,
                    realized_pnl, unrealized_pnl, total_gas_spent, sharpe_ratio) VALUES (?,?,?,?,?,?,?)
                    """, snapshots.map { p in
                        [p.timestamp.seconds, p.valueUSD, p.allocationsJSON, p.realizedPnLUSD, p.unrealizedPnLUSD,
                         p.totalGasSpentUSD, p.sharpeRatio]
                    })
            case .riskAlerts(let alerts):
                try run("""
                    INSERT OR IGNORE INTO risk_alerts (timestamp, severity, protocol_id, alert_type, message,
                    is_resolved) VALUES (?,?,?,?,?,?)
                    """, alerts.map { a in
                        [a.timestamp.seconds, a.severity.rawValue, a.protocolID, a.alertType, a.message, a.isResolved]
                    })
            }
            return inserted
        }
    }

    /// The schema, one migration per version; the seed's tables keep the seed's column names.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE aave_snapshots (
                    market TEXT NOT NULL, hour INTEGER NOT NULL, updated_at INTEGER NOT NULL, block INTEGER NOT NULL,
                    tvl_usd REAL NOT NULL, supplied_usd REAL NOT NULL, borrowed_usd REAL NOT NULL,
                    liquidations_usd REAL NOT NULL, token_balance REAL NOT NULL,
                    lender_variable_apr REAL, lender_stable_apr REAL, borrower_variable_apr REAL,
                    borrower_stable_apr REAL,
                    PRIMARY KEY (market, hour)) WITHOUT ROWID;
                CREATE TABLE chainlink_rounds (
                    feed TEXT NOT NULL, round_id TEXT NOT NULL, answer INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    phase_id INTEGER NOT NULL, aggregator_round_id INTEGER NOT NULL,
                    PRIMARY KEY (feed, round_id)) WITHOUT ROWID;
                CREATE TABLE price_points (
                    symbol TEXT NOT NULL, at_ms INTEGER NOT NULL, usd REAL NOT NULL,
                    PRIMARY KEY (symbol, at_ms)) WITHOUT ROWID;
                CREATE TABLE uniswap_pool_states (
                    pool TEXT NOT NULL, hour INTEGER NOT NULL, timestamp INTEGER NOT NULL, block INTEGER NOT NULL,
                    tick INTEGER NOT NULL, liquidity TEXT NOT NULL, tick_spacing INTEGER NOT NULL,
                    token0 TEXT NOT NULL, token1 TEXT NOT NULL, decimals0 INTEGER NOT NULL,
                    decimals1 INTEGER NOT NULL,
                    PRIMARY KEY (pool, hour)) WITHOUT ROWID;
                CREATE TABLE etherscan_daily_values (
                    series TEXT NOT NULL, day INTEGER NOT NULL, value REAL NOT NULL,
                    PRIMARY KEY (series, day)) WITHOUT ROWID;
                CREATE TABLE compound_market_days (
                    symbol TEXT NOT NULL, day INTEGER NOT NULL, total_supply REAL NOT NULL,
                    total_borrow REAL NOT NULL,
                    PRIMARY KEY (symbol, day)) WITHOUT ROWID;
                CREATE TABLE incidents (
                    content_key TEXT NOT NULL, occurrence INTEGER NOT NULL, date INTEGER NOT NULL, name TEXT NOT NULL,
                    attack_type TEXT NOT NULL, lost REAL, loss_type TEXT NOT NULL, contract TEXT NOT NULL,
                    chain TEXT NOT NULL,
                    PRIMARY KEY (content_key, occurrence)) WITHOUT ROWID;
                CREATE TABLE protocol_metrics (
                    timestamp INTEGER NOT NULL, protocol_id TEXT NOT NULL, apy REAL, tvl_usd REAL,
                    utilization_rate REAL, risk_score INTEGER, liquidity_depth REAL,
                    PRIMARY KEY (timestamp, protocol_id)) WITHOUT ROWID;
                CREATE TABLE portfolio_snapshots (
                    timestamp INTEGER PRIMARY KEY, portfolio_value_usd REAL, allocations TEXT, realized_pnl REAL,
                    unrealized_pnl REAL, total_gas_spent REAL, sharpe_ratio REAL);
                CREATE TABLE risk_alerts (
                    id INTEGER PRIMARY KEY, timestamp INTEGER NOT NULL, severity TEXT NOT NULL,
                    protocol_id TEXT NOT NULL, alert_type TEXT NOT NULL, message TEXT NOT NULL,
                    is_resolved INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (timestamp, protocol_id, alert_type));
                CREATE INDEX idx_risk_alerts_unresolved ON risk_alerts (timestamp) WHERE NOT is_resolved;
                """)
        }
        return migrator
    }
}
