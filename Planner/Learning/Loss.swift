/// A scalar training objective over a batch of predictions and targets, with its gradient.
///
/// Returns the mean loss and ∂loss/∂prediction together, because training always needs both; the gradient
/// feeds straight into a model's `backward`.
public protocol Loss {
    /// The loss and ∂loss/∂prediction for `prediction` against `target` (same shape).
    func evaluate(prediction: Matrix, target: Matrix) -> (value: Double, gradient: Matrix)
}
