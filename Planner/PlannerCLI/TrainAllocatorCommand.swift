import Allocation
import ArgumentParser
import Backtest
import Foundation
import Learning
import MarketData
import Reinforcement
import Risk
import SigningPolicy

/// `planner train allocator`: the PPO allocation agent through the seed's curriculum on simulated paths, then
/// validated against the baselines on the real history after the training period.
struct TrainAllocatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocator",
        abstract: "Train the PPO allocation agent (curriculum on simulated paths) and validate it on real history.",
        discussion: """
            Training data: the daily panel of DIR's allowlisted Aave stablecoin markets up to --train-to. The
            simulator samples 90-day paths from it (block bootstrap, 20-day blocks, all markets together) and, from
            stage 3, lays a real de-peg episode found in the data over 30 % of the paths. Each step is a daily
            decision in the backtest's MarketSimulator under --policy (real policy evaluator, gas, slippage, kill
            switch). Curriculum (seed §2.2.4): 1 two markets (Aave v3 USDC, USDT), no gas; 2 with gas; 3 with
            risk (risk and kill-switch terms, kill-switch guard, shocks); 4 every market, every term. Reward: the
            seed's formula; the training weights scale its constant terms down (AllocationReward.Weights.training).

            Validation: `planner backtest` over the days after --train-to (to the data's end), ppo against the
            optimizer and the baselines, with the kill switch.

            Example:
              planner train allocator --seed 1 --out Planner/models/ppo-allocator.json --json
            """)

    @Option(help: ArgumentHelp("History directory laid out like ../shared/data.", valueName: "DIR"))
    var data: String = "Planner/history"

    @Option(help: ArgumentHelp("Signing policy (TOML).", valueName: "FILE"))
    var policy: String = "policy/backtest.toml"

    @Option(help: ArgumentHelp("Last training day (YYYY-MM-DD). Default: a year before the data's last day.",
                               valueName: "DATE"))
    var trainTo: String?

    @Option(help: ArgumentHelp("Environment steps per curriculum stage 1,2,3,4.", valueName: "N,N,N,N"))
    var stageSteps: String = "40960,40960,40960,81920"

    @Option(help: ArgumentHelp("Seed for weights, paths and sampling.", valueName: "N"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Where to write the trained policy (JSON).", valueName: "FILE"))
    var out: String = PPOAllocationStrategy.defaultPath

    @Flag(help: "Print the training and validation result as one JSON object.")
    var json = false

    @Flag(help: "Print the mean episode reward after every PPO update (on standard error).")
    var verbose = false

    func run() throws {
        let steps = stageSteps.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard steps.count == 4, steps.allSatisfy({ ($0 ?? -1) >= 0 }), steps.contains(where: { ($0 ?? 0) > 0 }) else {
            PlannerFailure("--stage-steps must be four non-negative step counts, not \(stageSteps)",
                           hint: "for example --stage-steps 40960,40960,40960,81920").exit()
        }
        guard let policyText = try? String(contentsOfFile: policy, encoding: .utf8) else {
            PlannerFailure("cannot read the policy \(policy)", hint: "pass --policy FILE (policy/backtest.toml)").exit()
        }
        let signingPolicy: SigningPolicy
        do {
            signingPolicy = try SigningPolicy.load(toml: policyText)
        } catch {
            PlannerFailure("\(policy): \(error)", hint: "check it with: appliance policy check \(policy)").exit()
        }
        let loader = MarketPanelLoader(directory: HistoryDirectory(root: URL(fileURLWithPath: data)))
        let loaded: (panel: MarketPanel, notes: MarketPanelLoader.Notes)
        do {
            let earliest = Timestamp(seconds: 1_577_836_800)  // 2020-01-01: before every market's first row
            loaded = try loader.load(policy: signingPolicy, from: earliest, to: nil, step: .day)
        } catch let error as BacktestError {
            PlannerFailure(error.message, hint: error.hint).exit()
        }
        let full = loaded.panel
        let lastDay = loaded.notes.to
        var cut = Timestamp(seconds: lastDay.seconds - 365 * 86_400)
        if let trainTo {
            guard trainTo.count == 10, let day = UTCDate.parseISODate(trainTo) else {
                PlannerFailure("--train-to: not a YYYY-MM-DD date: \(trainTo)", hint: "for example 2024-06-30").exit()
            }
            cut = day
        }
        guard let first = full.firstAvailableStep,
              let cutStep = full.times.lastIndex(where: { $0 <= cut }), cutStep - first > 120,
              full.stepCount - cutStep > 30 else {
            PlannerFailure("--train-to leaves too little data on one side (need 120 training and 30 validation days)",
                           hint: "choose a day with at least 120 days of data before and 30 after it").exit()
        }
        let history = full.slice(first..<(cutStep + 1))
        let training = AllocatorTraining(history: history, policy: signingPolicy, stageSteps: steps.map { $0! },
                                         seed: seed)
        let clock = ContinuousClock()
        let started = clock.now
        var stageReturns: [Int: Double] = [:]
        let model = training.run { stage, ppo in
            let recent = ppo.recentMeanReturn(20) ?? 0
            stageReturns[stage.number] = recent
            if verbose {
                FileHandle.standardError.write(Data(
                    "stage \(stage.number) steps \(ppo.timesteps) mean episode reward \(recent)\n".utf8))
            }
        }
        let trainSeconds = (clock.now - started).seconds
        let markets = full.markets.map(\.id)
        let description: [String: String] = [
            "command": "planner train allocator --data \(data) --policy \(policy) --train-to \(UTCDate.dayString(cut)) "
                + "--stage-steps \(stageSteps) --seed \(seed)",
            "seed": String(seed), "stage_steps": stageSteps,
            "data_from": UTCDate.dayString(history.times[0]), "data_to": UTCDate.dayString(cut),
            "reward_weights": "yield 1, risk 0.003, gas 0.2, impermanent_loss 0.15, stability 0.001, sharpe 0, "
                + "kill_switch 0.001, liquidity 0.001",
            "ppo": "SB3 defaults, ent_coef 0.01",
        ]
        let file = AllocatorPolicyFile(markets: markets, temperature: AllocationActionMapping().temperature,
                                       training: description, model: model)
        do {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: out).deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try file.save(URL(fileURLWithPath: out))
        } catch {
            PlannerFailure("cannot write \(out): \(error.localizedDescription)",
                           hint: "pass --out with a writable path").exit()
        }
        // Validation: the real history after the training period, every strategy, with the kill switch.
        let validation = full.slice(cutStep..<full.stepCount)
        let strategy = PPOAllocationStrategy(model: model, markets: markets, mapping: AllocationActionMapping())
        let suite = BacktestSuite(strategies: BacktestRunner.standardStrategies() + [strategy], panel: validation,
                                  policy: signingPolicy,
                                  configuration: SimulatorConfiguration(killSwitch: KillSwitchGuard()),
                                  from: validation.times[0], to: lastDay)
        if json {
            print(JSONText.serialize([
                "model": out, "seed": seed, "stage_steps": steps.map { $0! }, "train_seconds": trainSeconds,
                "training_from": UTCDate.dayString(history.times[0]), "training_to": UTCDate.dayString(cut),
                "final_mean_episode_reward_by_stage": Dictionary(uniqueKeysWithValues: stageReturns.map {
                    (String($0.key), $0.value)
                }),
                "validation": suite.jsonObject(),
            ]))
        } else {
            print("trained \(steps.map { String($0!) }.joined(separator: "+")) steps in "
                  + String(format: "%.0f s", trainSeconds) + ", saved \(out)")
            print(BacktestCommand.table(suite, notes: loaded.notes))
        }
    }
}
