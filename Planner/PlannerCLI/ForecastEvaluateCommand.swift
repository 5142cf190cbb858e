import ArgumentParser
import Forecasting
import Foundation
import MarketData

/// `planner forecast evaluate`: walk-forward validation of every forecaster on a data directory.
struct ForecastEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Walk-forward evaluation of the forecasters (monthly retraining, expanding window).",
        discussion: """
            Target: each Aave market's mean supply APY over the next 7 days. For every month in [FROM, TO] each
            model is trained on all rows whose target window ends before the month, then forecasts each day of
            the month. Reports MAE and RMSE in basis points, MAPE and directional accuracy per model, overall and
            per market. FROM and TO default to the last 12 months of the data. Run it from a release build.

            Example:
              planner forecast evaluate --data ../shared/data --from 2024-07-01 --to 2025-06-30 --json
            """)

    @Option(help: ArgumentHelp("History directory laid out like ../shared/data.", valueName: "DIR"))
    var data: String = "Planner/history"

    @Option(help: ArgumentHelp("First day to forecast (YYYY-MM-DD).", valueName: "DATE"))
    var from: String?

    @Option(help: ArgumentHelp("Last day to forecast (YYYY-MM-DD).", valueName: "DATE"))
    var to: String?

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @Option(help: .hidden) var models: String = "persistence,ewma,rate_curve,xgboost,lstm"
    @Option(help: .hidden) var xgbRounds: Int = 300
    @Option(help: .hidden) var lstmEpochs: Int = LSTMForecaster.Settings().epochs
    @Option(help: .hidden) var lstmHidden: Int = LSTMForecaster.Settings().hiddenSizes[0]
    @Option(help: .hidden) var lstmWindow: Int = LSTMForecaster.Settings().window
    @Option(help: .hidden) var lstmMaxSamples: Int = LSTMForecaster.Settings().maxSamplesPerFit

    func run() throws {
        let directory = URL(fileURLWithPath: data)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("aave").path) else {
            PlannerFailure("no aave/ folder in \(data)",
                           hint: "pass --data DIR laid out like ../shared/data (aave/aave_v3_usdc_eth.csv, …)").exit()
        }
        let progress = { (line: String) in FileHandle.standardError.write(Data(("forecast: " + line + "\n").utf8)) }
        progress("reading \(data)")
        let (series, context) = try ForecastHistoryReader(directory: HistoryDirectory(root: directory)).read()
        guard let lastDay = series.compactMap({ $0.days.last?.day }).max() else {
            PlannerFailure("no Aave market rows in \(data)/aave", hint: "check the files' header and rows").exit()
        }
        let end = try to.map { try Self.day($0, "--to") } ?? lastDay
        let start = try from.map { try Self.day($0, "--from") } ?? Self.oneYearBefore(end)
        guard start <= end else {
            PlannerFailure("--from \(start) is after --to \(end)", hint: "pass --from DATE on or before --to").exit()
        }
        let dataset = ForecastDataset(series: series, context: context)
        let available = Self.available(xgbRounds: xgbRounds, lstm: lstmSettings)
        var chosen: [WalkForward.Model] = []
        for name in models.split(separator: ",").map(String.init) {
            guard let model = available.first(where: { $0.name == name }) else {
                throw ValidationError("unknown model \(name); known: \(available.map(\.name).joined(separator: ","))")
            }
            chosen.append(model)
        }
        let started = ContinuousClock.now
        let evaluation = try WalkForward(from: start, to: end).evaluate(dataset, models: chosen) { line in
            let elapsed = (ContinuousClock.now - started).components.seconds
            progress("[\(elapsed) s] \(line)")
        }
        guard evaluation.models.contains(where: { $0.overall.n > 0 }) else {
            PlannerFailure("no day in \(start)…\(end) has a full 7-day target in \(data)",
                           hint: "pick a period inside the data, ending at least 7 days before its last day").exit()
        }
        if json {
            print(JSONText.serialize(evaluation.jsonObject))
        } else {
            print(Self.table(evaluation))
        }
    }

    var lstmSettings: LSTMForecaster.Settings {
        var settings = LSTMForecaster.Settings()
        settings.epochs = lstmEpochs
        settings.hiddenSizes = [lstmHidden, max(1, lstmHidden / 2)]
        settings.attentionSize = max(1, lstmHidden / 2)
        settings.window = lstmWindow
        settings.maxSamplesPerFit = lstmMaxSamples
        return settings
    }

    static func available(xgbRounds: Int, lstm: LSTMForecaster.Settings) -> [WalkForward.Model] {
        [
            .init(name: "persistence") { PersistenceForecaster() },
            .init(name: "ewma") { EWMAForecaster() },
            .init(name: "rate_curve") { RateCurveForecaster() },
            .init(name: "xgboost") { XGBoostForecaster(regressor: XGBoostRegressor(rounds: xgbRounds)) },
            .init(name: "lstm") { LSTMForecaster(settings: lstm) },
        ]
    }

    static func day(_ text: String, _ option: String) throws -> CivilDay {
        guard let day = CivilDay(iso: text) else { throw ValidationError("\(option): not a YYYY-MM-DD date: \(text)") }
        return day
    }

    static func oneYearBefore(_ day: CivilDay) -> CivilDay {
        let c = day.components
        return (CivilDay(year: c.year - 1, month: c.month, day: min(c.day, 28)) ?? day + -365) + 1
    }

    static func table(_ evaluation: ForecastEvaluation) -> String {
        func f(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
        var lines = ["forecast \(evaluation.from) → \(evaluation.to), horizon \(evaluation.horizonDays) days",
                     "model        market                 MAE bps  RMSE bps   MAPE   dir.acc      n"]
        for model in evaluation.models {
            let rows = [("overall", model.overall)] + model.markets
            for (market, s) in rows {
                lines.append(model.model.padding(toLength: 13, withPad: " ", startingAt: 0)
                             + market.padding(toLength: 21, withPad: " ", startingAt: 0)
                             + f(s.maeBps, 1).leftPadded(9) + f(s.rmseBps, 1).leftPadded(10)
                             + f(s.mape, 3).leftPadded(7) + f(s.directionalAccuracy, 3).leftPadded(10)
                             + String(s.n).leftPadded(7))
            }
        }
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
