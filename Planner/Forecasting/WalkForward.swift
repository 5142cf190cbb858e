/// Walk-forward validation with monthly retraining on an expanding window.
///
/// For each calendar month overlapping `[from, to]`, every model is fitted on all rows (every market) whose
/// whole target window ends before the month starts, then predicts each scorable day of the month inside
/// `[from, to]`. Rows are scored only where the day and its `horizon` target days are observed.
public struct WalkForward: Sendable {
    /// A model to evaluate: its report name and how to build a fresh instance.
    public struct Model {
        public var name: String
        public var make: () -> any Forecaster

        public init(name: String, make: @escaping () -> any Forecaster) {
            self.name = name
            self.make = make
        }
    }

    public var from: CivilDay
    public var to: CivilDay

    public init(from: CivilDay, to: CivilDay) {
        precondition(from <= to, "from must not be after to")
        self.from = from
        self.to = to
    }

    /// The months: (first day the model may not train on, test days' range), in order.
    public var months: [(cutoff: CivilDay, test: ClosedRange<CivilDay>)] {
        var result: [(CivilDay, ClosedRange<CivilDay>)] = []
        var start = from.firstOfMonth
        while start <= to {
            let next = start.firstOfNextMonth
            result.append((start, max(start, from)...min(next + -1, to)))
            start = next
        }
        return result
    }

    /// Rows to train on before `cutoff`: target window ends on or before the day before `cutoff`.
    public func trainingRows(_ data: ForecastDataset, before cutoff: CivilDay) -> [ForecastRow] {
        data.rows { _, day in day + data.horizon < cutoff }
    }

    /// Evaluates each model; `progress` receives one line per model and month.
    public func evaluate(
        _ data: ForecastDataset, models: [Model], progress: (String) -> Void = { _ in }
    ) throws -> ForecastEvaluation {
        var results: [ForecastEvaluation.ModelResult] = []
        for model in models {
            let forecaster = model.make()
            var perMarket = Array(repeating: ForecastScore(), count: data.series.count)
            for (cutoff, test) in months {
                let testRows = data.rows { _, day in test.contains(day) }
                guard !testRows.isEmpty else { continue }
                let training = trainingRows(data, before: cutoff)
                try forecaster.fit(data, rows: training)
                let forecasts = try forecaster.predict(data, rows: testRows)
                for (row, forecast) in zip(testRows, forecasts) {
                    guard let actual = data.target(row) else { continue }
                    perMarket[row.market].add(forecast: forecast, actual: actual, current: data.apy(row))
                }
                progress("\(model.name): \(cutoff.description.prefix(7)) trained on \(training.count) rows, "
                         + "scored \(testRows.count)")
            }
            var overall = ForecastScore()
            var markets: [(String, ForecastScore)] = []
            for (m, score) in perMarket.enumerated() where score.n > 0 {
                overall.merge(score)
                markets.append((data.series[m].market, score))
            }
            results.append(.init(model: model.name, overall: overall, markets: markets))
        }
        return ForecastEvaluation(from: from, to: to, horizonDays: data.horizon, models: results)
    }
}
