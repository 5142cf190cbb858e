import SigningPolicy

/// Trains the early-warning classifier on every row before `testStart` and measures its AUC on the rows from
/// `testStart` on (the last 12 months of the data in `planner risk`).
public struct EarlyWarningEvaluation: Sendable {
    public var trainRows: Int
    public var trainPositives: Int
    public var testRows: Int
    public var testPositives: Int
    /// Nil when the test period has no positive (or no negative) row: the AUC is then undefined.
    public var auc: Double?
    /// The AUC of utilisation alone (the first feature, missing = 0) on the test rows: the bar the model must clear.
    public var utilizationAUC: Double?
    public var testStart: Timestamp

    /// Splits `rows` at `testStart`, trains, predicts and scores.
    public init(rows: [EarlyWarningRow], testStart: Timestamp, rounds: Int = 200) throws {
        let train = rows.filter { $0.hour < testStart }
        let test = rows.filter { $0.hour >= testStart }
        self.testStart = testStart
        trainRows = train.count
        trainPositives = train.filter(\.label).count
        testRows = test.count
        testPositives = test.filter(\.label).count
        utilizationAUC = AreaUnderCurve.compute(scores: test.map { $0.features[0].isNaN ? 0 : Double($0.features[0]) },
                                                labels: test.map(\.label))
        guard trainPositives > 0, trainPositives < trainRows, !test.isEmpty else {
            auc = nil
            return
        }
        let model = try GradientBoostedClassifier(rows: train.map(\.features), labels: train.map(\.label),
                                                  rounds: rounds)
        let scores = try model.probabilities(test.map(\.features))
        auc = AreaUnderCurve.compute(scores: scores, labels: test.map(\.label))
    }
}
