import ArgumentParser
import Foundation
import MarketData
import Risk
import SigningPolicy

/// `planner risk`: the seed's 5-factor score per protocol from the committed facts and the data, and optionally
/// the early-warning classifier's AUC on the last 12 months.
struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Score protocols with the 5-factor risk matrix; evaluate the early-warning classifier.",
        discussion: """
            Sub-scores (0–100, higher = riskier) are combined with the seed's weights: contract 35 %, economic 25 %,
            peg 20 %, liquidity 15 %, track record 5 %. Facts (audits, launch, bug bounty, incidents) come from
            --facts, market state from DIR at the last hour of its Aave data (or --as-of).

            --early-warning trains XGBoost on every market hour before the last 12 months of the Aave data and
            reports the AUC of "a kill-switch condition within 24 h" on those 12 months. Use a release build.

            Example:
              planner risk --data ../shared/data --early-warning --json
            """)

    @Option(help: ArgumentHelp("History directory (laid out like ../shared/data).", valueName: "DIR"))
    var data: String = "Planner/history"

    @Option(help: ArgumentHelp("Protocol facts file.", valueName: "FILE"))
    var facts: String = "Planner/Risk/protocol-facts.json"

    @Option(help: ArgumentHelp("Score as of this day (YYYY-MM-DD); default the last hour of the Aave data.",
                               valueName: "DATE"))
    var asOf: String?

    @Flag(help: "Also train and evaluate the early-warning classifier.")
    var earlyWarning = false

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func run() throws {
        let factsFile: ProtocolFacts
        do {
            factsFile = try ProtocolFacts.load(URL(fileURLWithPath: facts))
        } catch {
            PlannerFailure("cannot read the facts file \(facts): \(error)",
                           hint: "run from the repository root or pass --facts FILE").exit()
        }
        let directory = HistoryDirectory(root: URL(fileURLWithPath: data))
        let history: AaveHistory
        let prices: [PriceSeries]
        do {
            history = try AaveHistory(directory: directory)
            prices = try PriceSeriesLoader(directory: directory).load()
        } catch {
            PlannerFailure("cannot read \(data): \(error)", hint: "pass --data DIR laid out like ../shared/data").exit()
        }
        var scoringTime = history.lastHour ?? Timestamp(seconds: 0)
        if let asOf {
            guard let day = UTCDate.parseISODate(asOf) else {
                PlannerFailure("--as-of \(asOf) is not a date", hint: "pass YYYY-MM-DD").exit()
            }
            scoringTime = Timestamp(seconds: day.seconds + 86_399)
        }
        let scores = factsFile.protocols.map {
            ProtocolRiskScore(facts: $0, state: history.state(prefix: $0.marketsPrefix, asOf: scoringTime,
                                                              prices: prices), asOf: scoringTime)
        }
        var evaluation: EarlyWarningEvaluation?
        if earlyWarning, let last = history.lastHour {
            let rows = EarlyWarningDataset().rows(snapshots: history.snapshots, stablecoins: prices)
            evaluation = try EarlyWarningEvaluation(rows: rows, testStart: Timestamp(seconds: last.seconds
                                                                                     - 365 * 86_400))
        }
        if json {
            var object: [String: Any] = [
                "as_of": scoringTime.rfc3339,
                "protocols": scores.map { score -> [String: Any] in
                    ["protocol": score.protocolID, "score": score.total, "tier": score.tier,
                     "factors": score.factors.map {
                         ["factor": $0.factor, "weight": $0.weight, "score": $0.score, "reason": $0.reason]
                     }]
                },
            ]
            if let evaluation {
                object["early_warning"] = [
                    "test_from": evaluation.testStart.rfc3339, "auc": evaluation.auc ?? NSNull(),
                    "train_rows": evaluation.trainRows, "train_positives": evaluation.trainPositives,
                    "test_rows": evaluation.testRows, "test_positives": evaluation.testPositives,
                    "utilization_auc": evaluation.utilizationAUC ?? NSNull(),
                ] as [String: Any]
            }
            print(JSONText.serialize(object))
        } else {
            print("risk as of \(scoringTime.rfc3339)")
            for score in scores {
                print("\(score.protocolID): \((score.total * 10).rounded() / 10) \(score.tier)")
                for factor in score.factors {
                    print("  \(factor.factor) (\(Int(factor.weight * 100)) %): \(factor.score) — \(factor.reason)")
                }
            }
            if let evaluation {
                let auc = evaluation.auc.map { "\(($0 * 1_000).rounded() / 1_000)" }
                    ?? "undefined (a class is absent in the test period)"
                print("early warning: AUC \(auc) on \(evaluation.testRows) market hours from "
                      + "\(evaluation.testStart.rfc3339) (\(evaluation.testPositives) positive; utilisation alone: "
                      + (evaluation.utilizationAUC.map { "\(($0 * 1_000).rounded() / 1_000)" } ?? "n/a")
                      + "); trained on "
                      + "\(evaluation.trainRows) (\(evaluation.trainPositives) positive)")
            }
        }
    }
}
