import ArgumentParser
import Foundation
import MarketData
import Risk
import SigningPolicy

/// `planner anomalies`: the alerts the peg monitor and the anomaly detectors raise over a period.
///
/// `--json` prints the pinned shape (DESIGN.md): `{"alerts": [{"at", "market", "detector", "severity",
/// "message"}]}`, each alert one episode, with `until` and `flags` added; `first_below_0_98` lists each series'
/// first hour below 0.98 in the period, the reference for an alert's lead or lag.
struct AnomaliesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anomalies",
        abstract: "List the alerts the peg monitor and anomaly detectors raise over a period.",
        discussion: """
            Reads the stablecoin price series of DIR (Chainlink rounds, CoinGecko prices, Aave v3 implied prices,
            the Uniswap v3 USDC/USDT pool), runs the peg monitor (seed thresholds), a rolling z-score (168 points,
            4σ, 0.1 % floor), an isolation forest and an autoencoder (both gated by the coin's safe band) over
            [FROM, TO], and merges flags into episodes (24 h cool-down per market and detector).

            Example:
              planner anomalies --data ../shared/data --from 2023-03-01 --to 2023-03-31 --json
            """)

    @Option(help: ArgumentHelp("History directory (laid out like ../shared/data).", valueName: "DIR"))
    var data: String = "Planner/history"

    @Option(help: ArgumentHelp("First day scanned (YYYY-MM-DD, UTC).", valueName: "DATE"))
    var from: String

    @Option(help: ArgumentHelp("Last day scanned, inclusive (YYYY-MM-DD, UTC).", valueName: "DATE"))
    var to: String

    @Option(help: ArgumentHelp("Only these detectors, comma-separated (peg, zscore, isolation_forest, autoencoder).",
                               valueName: "NAMES"))
    var detectors: String?

    @Flag(help: "Print the alerts as one JSON object.")
    var json = false

    func run() throws {
        guard let start = UTCDate.parseISODate(from), let lastDay = UTCDate.parseISODate(to) else {
            PlannerFailure("--from and --to must be dates like 2023-03-01", hint: "pass YYYY-MM-DD (UTC)").exit()
        }
        guard start <= lastDay else {
            PlannerFailure("--from \(from) is after --to \(to)", hint: "swap the dates").exit()
        }
        var chosen = AnomalyScan.standardDetectors
        if let detectors {
            let names = Set(detectors.split(separator: ",").map(String.init))
            let known = Set(chosen.map(\.name))
            guard names.isSubset(of: known) else {
                PlannerFailure("unknown detector in --detectors \(detectors)",
                               hint: "choose from \(known.sorted().joined(separator: ", "))").exit()
            }
            chosen = chosen.filter { names.contains($0.name) }
        }
        let end = Timestamp(seconds: lastDay.seconds + 86_400)
        let series: [PriceSeries]
        do {
            series = try PriceSeriesLoader(directory: HistoryDirectory(root: URL(fileURLWithPath: data))).load()
        } catch {
            PlannerFailure("cannot read \(data): \(error)",
                           hint: "pass --data DIR laid out like ../shared/data (or Planner/history)").exit()
        }
        let alerts = AnomalyScan(detectors: chosen).alerts(in: series, from: start, to: end)
        if json {
            let rows: [[String: Any]] = alerts.map {
                ["at": $0.at.rfc3339, "market": $0.market, "detector": $0.detector, "severity": $0.severity.rawValue,
                 "message": $0.message, "until": $0.until.rfc3339, "flags": $0.flags]
            }
            let crossings: [[String: Any]] = series.compactMap { one in
                one.firstCrossing(below: 0.98, from: start).flatMap { point in
                    point.at < end ? ["market": one.market, "at": point.at.rfc3339, "price": point.value] : nil
                }
            }
            print(JSONText.serialize(["alerts": rows, "first_below_0_98": crossings]))
        } else {
            if alerts.isEmpty { print("no alerts from \(from) to \(to)") }
            for alert in alerts {
                let severity = alert.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                print("\(alert.at.rfc3339)  \(severity)"
                      + "  \(alert.detector.padding(toLength: 16, withPad: " ", startingAt: 0))  \(alert.market)  "
                      + "\(alert.message) (until \(alert.until.rfc3339), \(alert.flags) flags)")
            }
        }
    }
}
