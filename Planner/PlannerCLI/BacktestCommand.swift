import Allocation
import ArgumentParser
import Backtest
import Foundation
import MarketData
import Reinforcement
import Risk
import SigningPolicy

/// `planner backtest`: every strategy and baseline over real history, under the signing policy.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest the allocation strategies and baselines over real history, under the signing policy.",
        discussion: """
            Steps a $1M portfolio (--capital) through DIR hour by hour (daily on the committed extract, or with
            --step day), starting all in reserve as the appliance does. Markets: the Aave stablecoin markets of DIR
            whose adapter the policy allowlists (policy/backtest.toml: Aave v2/v3 USDC, USDT, DAI, v3 USDe; addresses
            as in Planner/Backtest/MarketAdapters.swift).

            Every proposal is a real Proposal evaluated by the appliance's PolicyEvaluator at the step's time, with
            the policy state booked as the appliance books it; a rejection counts in policy_rejections and moves
            nothing, so no trade can break the policy. Charged: gas per rebalance (150,000 + 60,000 gas per adapter
            touched × the day's average gas price × the ETH price, read from the Aave WETH market's oracle price),
            slippage by adapter class and trade size against liquidity; holdings accrue each market's supply APY and
            move with their coin's price (a de-peg). The risk engine's kill switch (a held coin below 0.98, TVL down
            30 % in 24 h, utilisation above 95 % for 6 h) engages and proposes an emergency_exit to the policy's safe
            haven; a run where it engaged is also run without it, to compare with holding through.

            Strategies: optimizer (forecast APY less a peg-wobble penalty, markets at over 97 % utilisation or the
            policy's risk score left out, best first up to the caps; it moves when the gain beats gas plus the
            policy's edge and, over 14 days, twice the gas and slippage, after a 6 h confirmation; settings chosen on
            2023-07…2024-06). Baselines: all_reserve, equal_weight (1/N, on the largest markets when positions are
            limited), buy_and_hold_best (hindsight-best market at its 50 % cap), highest_trailing_apy and
            highest_forecast (best markets first, with hysteresis). Positions are limited to what one emergency exit
            can unwind within the policy's gas limit.

            Metrics (daily returns at 00:00 UTC, risk-free 0): net_apy = (1 + mean daily return)^365 − 1 after gas
            and slippage; cagr; sharpe and sortino annualised by √365 (null when undefined); max_drawdown as a
            fraction; gas_usd; rebalances executed; turnover = Σ ½Σ|Δw| as a multiple of the capital;
            policy_rejections.

            Examples:
              planner backtest --data ../shared/data --from 2024-07-01 --to 2025-06-30 --json
              planner backtest --data ../shared/data --from 2023-03-01 --to 2023-03-31 --report march-2023.html
              planner backtest --json                      # the committed daily extract, its last year
            """)

    @Option(help: ArgumentHelp("History directory laid out like ../shared/data.", valueName: "DIR"))
    var data: String = "Planner/history"

    @Option(help: ArgumentHelp("First day (YYYY-MM-DD, from 00:00 UTC). Default: a year before --to.",
                               valueName: "DATE"))
    var from: String?

    @Option(help: ArgumentHelp("Last day, included (YYYY-MM-DD). Default: the data's last day.", valueName: "DATE"))
    var to: String?

    @Option(help: ArgumentHelp("Signing policy (TOML) the proposals are checked against.", valueName: "FILE"))
    var policy: String = "policy/backtest.toml"

    @Option(help: ArgumentHelp("Time step: hour or day. Default: hourly when DIR is hourly.", valueName: "STEP"))
    var step: String?

    @Option(help: ArgumentHelp("Starting capital in USD.", valueName: "USD"))
    var capital: Double = 1_000_000

    @Option(help: ArgumentHelp("Comma-separated strategy names to run (default: all).", valueName: "NAMES"))
    var strategies: String?

    @Flag(help: "Never engage the kill switch (hold through every event).")
    var noKillSwitch = false

    @Option(help: ArgumentHelp("Also write a self-contained HTML report with charts.", valueName: "FILE.html"))
    var report: String?

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @Option(help: ArgumentHelp("Trained PPO agent for the `ppo` strategy (left out, with a warning, if unreadable).",
                               valueName: "FILE"))
    var ppoModel: String = PPOAllocationStrategy.defaultPath

    // Optimizer settings, for choosing them on a validation period (hidden: the defaults are the chosen ones).
    @Option(help: .hidden) var optimizerVolatilityPenalty: Double = YieldOptimizer().volatilityPenalty
    @Option(help: .hidden) var optimizerPegPenalty: Double = YieldOptimizer().pegPenalty
    @Option(help: .hidden) var optimizerMaxUtilization: Double = YieldOptimizer().maxUtilization
    @Option(help: .hidden) var optimizerConfirmationHours: Int = YieldOptimizer().confirmationHours
    @Option(help: .hidden) var optimizerHorizonDays: Double = YieldOptimizer().horizonDays

    func validate() throws {
        guard capital.isFinite, capital >= 1_000 else { throw ValidationError("--capital must be at least 1000") }
        if let step, StepSize(rawValue: step) == nil { throw ValidationError("--step must be hour or day") }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory), isDirectory.boolValue else {
            PlannerFailure("no history directory at \(data)",
                           hint: "pass --data DIR laid out like ../shared/data, or run from the repository root").exit()
        }
        let start = try from.map { try Self.day($0, "--from") }
        let end = try to.map { try Self.day($0, "--to") }
        if let start, let end, start > end {
            PlannerFailure("--from \(from!) is after --to \(to!)", hint: "pass --from DATE on or before --to").exit()
        }
        guard let policyText = try? String(contentsOfFile: policy, encoding: .utf8) else {
            PlannerFailure("cannot read the policy \(policy)",
                           hint: "pass --policy FILE (policy/backtest.toml from the repository root)").exit()
        }
        let signingPolicy: SigningPolicy
        do {
            signingPolicy = try SigningPolicy.load(toml: policyText)
        } catch {
            PlannerFailure("\(policy): \(error)", hint: "check it with: appliance policy check \(policy)").exit()
        }
        let loaded: (panel: MarketPanel, notes: MarketPanelLoader.Notes)
        do {
            loaded = try MarketPanelLoader(directory: HistoryDirectory(root: URL(fileURLWithPath: data)))
                .load(policy: signingPolicy, from: start, to: end, step: step.flatMap(StepSize.init(rawValue:)))
        } catch let error as BacktestError {
            PlannerFailure(error.message, hint: error.hint).exit()
        }
        var chosen = BacktestRunner.standardStrategies()
        chosen[0] = YieldOptimizer(volatilityPenalty: optimizerVolatilityPenalty, pegPenalty: optimizerPegPenalty,
                                   maxUtilization: optimizerMaxUtilization, horizonDays: optimizerHorizonDays,
                                   confirmationHours: optimizerConfirmationHours)
        do {
            chosen.append(try PPOAllocationStrategy(contentsOf: URL(fileURLWithPath: ppoModel)))
        } catch {
            FileHandle.standardError.write(Data("warning: ppo left out: \(error)\n".utf8))
        }
        if let strategies {
            let names = strategies.split(separator: ",").map(String.init)
            let known = chosen.map(\.name)
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw ValidationError("unknown strategy \(unknown); known: \(known.joined(separator: ","))")
            }
            chosen = chosen.filter { names.contains($0.name) }
        }
        let configuration = SimulatorConfiguration(capitalUSD: capital,
                                                   killSwitch: noKillSwitch ? nil : KillSwitchGuard())
        let started = ContinuousClock.now
        let suite = BacktestSuite(strategies: chosen, panel: loaded.panel, policy: signingPolicy,
                                  configuration: configuration, from: loaded.notes.from, to: loaded.notes.to)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if let report {
            let html = BacktestReport(suite: suite, policyName: policy, notes: loaded.notes).html()
            do {
                try html.write(toFile: report, atomically: true, encoding: .utf8)
            } catch {
                PlannerFailure("cannot write \(report): \(error.localizedDescription)",
                               hint: "pass --report with a writable path").exit()
            }
        }
        if json {
            print(JSONText.serialize(suite.jsonObject(notes: [
                "policy": policy, "capital_usd": capital, "eth_price_source": loaded.notes.ethPriceSource,
                "markets_left_out": loaded.notes.leftOut, "elapsed_s": seconds,
            ])))
        } else {
            print(Self.table(suite, notes: loaded.notes))
            if let report { print("report: \(report)") }
        }
    }

    static func day(_ text: String, _ option: String) throws -> Timestamp {
        guard text.count == 10, let day = UTCDate.parseISODate(text) else {
            PlannerFailure("\(option): not a YYYY-MM-DD date: \(text)", hint: "for example \(option) 2024-07-01").exit()
        }
        return day
    }

    static func table(_ suite: BacktestSuite, notes: MarketPanelLoader.Notes) -> String {
        func pct(_ v: Double) -> String { String(format: "%7.2f %%", 100 * v) }
        func num(_ v: Double?) -> String { v.map { String(format: "%7.2f", $0) } ?? "      –" }
        var lines = [
            "backtest \(UTCDate.dayString(suite.from)) → \(UTCDate.dayString(suite.to)), "
                + "\(suite.panel.stepCount - 1) \(suite.panel.stepSeconds == 3_600 ? "hourly" : "daily") steps, "
                + "markets: \(suite.panel.markets.map(\.id).joined(separator: ", "))",
            "strategy               kind       net APY     CAGR  Sharpe Sortino   max DD   gas USD  rebal. "
                + "turnover rejected",
        ]
        for entry in suite.entries {
            let r = entry.run
            lines.append(r.name.padding(toLength: 22, withPad: " ", startingAt: 0) + " "
                + r.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + " "
                + pct(r.metrics.netAPY) + " " + pct(r.metrics.cagr) + " " + num(r.metrics.sharpe) + " "
                + num(r.metrics.sortino) + " " + pct(r.metrics.maxDrawdown) + " "
                + String(format: "%9.2f %6d %8.2f %8d", r.gasUSD, r.rebalances, r.turnover, r.policyRejections))
        }
        for entry in suite.entries where !entry.run.events.isEmpty {
            let r = entry.run
            let shown = r.events.prefix(3).joined(separator: "; ")
            lines.append("\(r.name): kill switch engaged \(r.killSwitchEngagements)×, exits approved "
                         + "\(r.emergencyExitsApproved), rejected \(r.emergencyExitsRejected): \(shown)"
                         + (r.events.count > 3 ? "; … (--json lists all)" : ""))
            if let twin = entry.withoutKillSwitch {
                lines.append(String(format: "  final value $%.0f with the kill switch, $%.0f holding through "
                                        + "(lowest $%.0f against $%.0f)", entry.run.finalValueUSD,
                                    twin.finalValueUSD, entry.run.lowestValueUSD, twin.lowestValueUSD))
            }
        }
        lines.append("ETH price: \(notes.ethPriceSource)")
        return lines.joined(separator: "\n")
    }
}
