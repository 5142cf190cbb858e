/// Mean squared error over every entry, as PyTorch's `MSELoss()` (reduction "mean"): the regression loss of the
/// forecaster and PPO's value function.
public struct MeanSquaredError: Loss, Sendable {
    public init() {}

    public func evaluate(prediction: Matrix, target: Matrix) -> (value: Double, gradient: Matrix) {
        precondition(prediction.hasShape(of: target), "Prediction and target shapes differ")
        let n = Double(max(prediction.count, 1))
        let difference = prediction - target
        return (difference.squaredNorm() / n, difference * (2 / n))
    }
}
