import ArgumentParser
import Backtest
import Foundation
import Learning
import MarketData
import SigningPolicy

/// `planner bench`: throughput of the planner's hot paths, for comparing builds and machines.
///
/// Each measurement adds one pinned key to the JSON object (DESIGN.md: `ppo_cartpole_steps_per_s`,
/// `backtest_market_steps_per_s`, `ingest_rows_per_s`, `lstm_train_samples_per_s`); only what is measured is printed.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the planner's throughput (ingest, backtest, LSTM training, PPO training on CartPole).",
        discussion: """
            Ingests DIR (default: the committed extract, Planner/history) into a throwaway SQLite store and reports
            rows per second; backtests every strategy over the last year of DIR under --policy and reports
            market-steps (steps × markets, summed over the strategies) per second; trains the seed forecaster's
            shape (30 steps × 32 features, LSTM 128 → 64, additive attention, dense head, batch 32) on synthetic
            data with Adam and reports sequences trained per second; trains PPO with Stable-Baselines3's defaults on
            CartPole-v1 for --ppo-rollouts rollouts of 2048 steps (each with its 10 epochs of updates) and reports
            environment steps per second (SB3's `fps`). Run it from a release build; debug builds are 10–50× slower.

            Example:
              planner bench --json
            """)

    @Flag(help: "Print the measurements as one JSON object.")
    var json = false

    @Option(help: ArgumentHelp("Timed LSTM training steps.", valueName: "N"))
    var lstmSteps: Int = 20

    @Option(help: ArgumentHelp("History directory to ingest and backtest (laid out like ../shared/data).",
                               valueName: "DIR"))
    var data: String = "Planner/history"

    @Option(help: ArgumentHelp("Timed PPO rollouts on CartPole (2048 steps and 10 epochs each).", valueName: "N"))
    var ppoRollouts: Int = 5

    @Option(help: ArgumentHelp("Policy the backtest runs under.", valueName: "FILE"))
    var policy: String = "policy/backtest.toml"

    func validate() throws {
        guard lstmSteps > 0 else { throw ValidationError("--lstm-steps must be positive") }
        guard ppoRollouts > 0 else { throw ValidationError("--ppo-rollouts must be positive") }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: data) else {
            PlannerFailure("no history directory at \(data)",
                           hint: "run from the repository root or pass --data DIR (laid out like ../shared/data)").exit()
        }
        let rowsPerSecond = try IngestBenchmark(data: HistoryDirectory(root: URL(fileURLWithPath: data)))
            .rowsPerSecond()
        guard let policyText = try? String(contentsOfFile: policy, encoding: .utf8),
              let signingPolicy = try? SigningPolicy.load(toml: policyText) else {
            PlannerFailure("cannot load the policy \(policy)",
                           hint: "run from the repository root or pass --policy FILE").exit()
        }
        let backtest = try BacktestBenchmark(directory: HistoryDirectory(root: URL(fileURLWithPath: data)),
                                             policy: signingPolicy).marketStepsPerSecond()
        let lstm = LSTMBenchmark(steps: lstmSteps)
        let samplesPerSecond = lstm.trainingSamplesPerSecond()
        let ppoStepsPerSecond = PPOBenchmark(rollouts: ppoRollouts).stepsPerSecond()
        if json {
            print(JSONText.serialize(["ingest_rows_per_s": Int(rowsPerSecond.rounded()),
                                      "backtest_market_steps_per_s": Int(backtest.perSecond.rounded()),
                                      "lstm_train_samples_per_s": Int(samplesPerSecond.rounded()),
                                      "ppo_cartpole_steps_per_s": Int(ppoStepsPerSecond.rounded())]))
        } else {
            print("ingest:        \(Int(rowsPerSecond.rounded())) rows/s (\(data) into SQLite)")
            print("backtest:      \(Int(backtest.perSecond.rounded())) market-steps/s "
                  + "(\(backtest.marketSteps) over every strategy, last year of \(data))")
            print("lstm training: \(Int(samplesPerSecond.rounded())) samples/s (\(lstm.shapeDescription))")
            print("ppo cartpole:  \(Int(ppoStepsPerSecond.rounded())) steps/s "
                  + "(SB3 defaults, \(ppoRollouts) rollouts of 2048 steps with their updates)")
        }
    }
}
