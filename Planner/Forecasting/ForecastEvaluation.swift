/// The result of a walk-forward evaluation: per model, the overall score and one per market.
public struct ForecastEvaluation: Sendable {
    public struct ModelResult: Sendable {
        public var model: String
        public var overall: ForecastScore
        /// Per market id, in the dataset's market order; markets without a scored row are left out.
        public var markets: [(market: String, score: ForecastScore)]
    }

    public var from: CivilDay
    public var to: CivilDay
    public var horizonDays: Int
    public var models: [ModelResult]

    /// The pinned `planner forecast evaluate --json` object (DESIGN.md, "Machine-readable outputs").
    public var jsonObject: [String: Any] {
        func metrics(_ s: ForecastScore) -> [String: Any] {
            func finite(_ v: Double) -> Any { v.isFinite ? (v * 1e6).rounded() / 1e6 : NSNullValue.null }
            return ["mae_bps": finite(s.maeBps), "rmse_bps": finite(s.rmseBps), "mape": finite(s.mape),
                    "directional_accuracy": finite(s.directionalAccuracy), "n": s.n]
        }
        return [
            "from": from.description, "to": to.description, "horizon_days": horizonDays,
            "models": models.map { m in
                ["model": m.model, "overall": metrics(m.overall),
                 "markets": m.markets.map { market in
                     metrics(market.score).merging(["market": market.market]) { a, _ in a }
                 }] as [String: Any]
            },
        ]
    }
}
