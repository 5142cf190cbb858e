import PostgresNIO

/// Turns a batch of `StoreRows` into multi-row `INSERT … ON CONFLICT DO NOTHING` statements with bound
/// parameters, the same columns as the SQLite store.
enum PostgresInsert {
    /// Rows per statement: large enough to amortise the round trip, small enough to stay far below PostgreSQL's
    /// 65,535 parameters (13 columns × 1,000 rows).
    static let rowsPerStatement = 1_000

    static func statements(_ rows: StoreRows) -> [PostgresQuery] {
        switch rows {
        case .aaveSnapshots(let snapshots):
            return make(.aaveSnapshots, ["market", "hour", "updated_at", "block", "tvl_usd", "supplied_usd",
                                         "borrowed_usd", "liquidations_usd", "token_balance", "lender_variable_apr",
                                         "lender_stable_apr", "borrower_variable_apr", "borrower_stable_apr"],
                        snapshots) { s, b in
                b.append(s.market); b.append(s.hour.seconds); b.append(s.updatedAt.seconds); b.append(s.block)
                b.append(s.tvlUSD); b.append(s.suppliedUSD); b.append(s.borrowedUSD); b.append(s.liquidationsUSD)
                b.append(s.tokenBalance); b.append(s.lenderVariableAPR); b.append(s.lenderStableAPR)
                b.append(s.borrowerVariableAPR); b.append(s.borrowerStableAPR)
            }
        case .chainlinkRounds(let rounds):
            return make(.chainlinkRounds, ["feed", "round_id", "answer", "updated_at", "phase_id",
                                           "aggregator_round_id"], rounds) { r, b in
                b.append(r.feed); b.append(r.roundID); b.append(r.answer); b.append(r.updatedAt.seconds)
                b.append(r.phaseID); b.append(r.aggregatorRoundID)
            }
        case .pricePoints(let points):
            return make(.pricePoints, ["symbol", "at_ms", "usd"], points) { p, b in
                b.append(p.symbol); b.append(p.milliseconds); b.append(p.usd)
            }
        case .uniswapPoolStates(let states):
            return make(.uniswapPoolStates, ["pool", "hour", "timestamp", "block", "tick", "liquidity",
                                             "tick_spacing", "token0", "token1", "decimals0", "decimals1"],
                        states) { u, b in
                b.append(u.pool); b.append(u.hour.seconds); b.append(u.timestamp.seconds); b.append(u.block)
                b.append(u.tick); b.append(u.liquidity); b.append(u.tickSpacing); b.append(u.token0)
                b.append(u.token1); b.append(u.decimals0); b.append(u.decimals1)
            }
        case .etherscanDailyValues(let values):
            return make(.etherscanDailyValues, ["series", "day", "value"], values) { v, b in
                b.append(v.series); b.append(v.day.seconds); b.append(v.value)
            }
        case .compoundMarketDays(let days):
            return make(.compoundMarketDays, ["symbol", "day", "total_supply", "total_borrow"], days) { d, b in
                b.append(d.symbol); b.append(d.day.seconds); b.append(d.totalSupply); b.append(d.totalBorrow)
            }
        case .incidents(let incidents):
            return make(.incidents, ["content_key", "occurrence", "date", "name", "attack_type", "lost",
                                     "loss_type", "contract", "chain"], incidents) { i, b in
                b.append(i.contentKey); b.append(Int64(i.occurrence)); b.append(i.date.seconds); b.append(i.name)
                b.append(i.attackType); b.append(i.lost); b.append(i.lossType); b.append(i.contract)
                b.append(i.chain)
            }
        case .protocolMetrics(let metrics):
            return make(.protocolMetrics, ["timestamp", "protocol_id", "apy", "tvl_usd", "utilization_rate",
                                           "risk_score", "liquidity_depth"], metrics) { m, b in
                b.append(m.timestamp.seconds); b.append(m.protocolID); b.append(m.apy); b.append(m.tvlUSD)
                b.append(m.utilizationRate); b.append(m.riskScore.map(Int64.init)); b.append(m.liquidityDepthUSD)
            }
        case .portfolioSnapshots(let snapshots):
            return make(.portfolioSnapshots, ["timestamp", "portfolio_value_usd", "allocations", "realized_pnl",
                                              "unrealized_pnl", "total_gas_spent", "sharpe_ratio"], snapshots) { p, b in
                b.append(p.timestamp.seconds); b.append(p.valueUSD); b.append(p.allocationsJSON)
                b.append(p.realizedPnLUSD); b.append(p.unrealizedPnLUSD); b.append(p.totalGasSpentUSD)
                b.append(p.sharpeRatio)
            }
        case .riskAlerts(let alerts):
            return make(.riskAlerts, ["timestamp", "severity", "protocol_id", "alert_type", "message",
                                      "is_resolved"], alerts) { a, b in
                b.append(a.timestamp.seconds); b.append(a.severity.rawValue); b.append(a.protocolID)
                b.append(a.alertType); b.append(a.message); b.append(a.isResolved)
            }
        }
    }

    private static func make<Row>(_ table: StoreTable, _ columns: [String], _ rows: [Row],
                                  bind: (Row, inout PostgresBindings) -> Void) -> [PostgresQuery] {
        let head = "INSERT INTO \(table.rawValue) (\(columns.joined(separator: ", "))) VALUES "
        var queries: [PostgresQuery] = []
        var start = rows.startIndex
        while start < rows.endIndex {
            let end = min(start + rowsPerStatement, rows.endIndex)
            var bindings = PostgresBindings(capacity: (end - start) * columns.count)
            var sql = head
            sql.reserveCapacity(head.utf8.count + (end - start) * columns.count * 8 + 32)
            var parameter = 0
            for index in start..<end {
                sql += index == start ? "(" : ",("
                for column in 0..<columns.count {
                    parameter += 1
                    sql += column == 0 ? "$\(parameter)" : ",$\(parameter)"
                }
                sql += ")"
                bind(rows[index], &bindings)
            }
            sql += " ON CONFLICT DO NOTHING"
            queries.append(PostgresQuery(unsafeSQL: sql, binds: bindings))
            start = end
        }
        return queries
    }
}
