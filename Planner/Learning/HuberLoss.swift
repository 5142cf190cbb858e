/// Huber loss averaged over every entry, as PyTorch's `HuberLoss(delta:)`: quadratic within `delta`, linear
/// beyond, so a few outliers (a depeg hour, a bad oracle print) do not dominate a forecaster's training.
public struct HuberLoss: Loss, Sendable {
    /// Where the loss turns from quadratic to linear.
    public let delta: Double

    public init(delta: Double = 1) {
        precondition(delta > 0, "Huber delta must be positive")
        self.delta = delta
    }

    public func evaluate(prediction: Matrix, target: Matrix) -> (value: Double, gradient: Matrix) {
        precondition(prediction.hasShape(of: target), "Prediction and target shapes differ")
        let n = Double(max(prediction.count, 1))
        var total = 0.0
        var gradient = Matrix(zerosLike: prediction)
        for i in 0..<prediction.count {
            let d = prediction.values[i] - target.values[i]
            if abs(d) <= delta {
                total += 0.5 * d * d
                gradient.values[i] = d / n
            } else {
                total += delta * (abs(d) - 0.5 * delta)
                gradient.values[i] = (d > 0 ? delta : -delta) / n
            }
        }
        return (total / n, gradient)
    }
}
