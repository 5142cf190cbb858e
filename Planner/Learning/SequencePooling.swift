/// A differentiable reduction of a sequence of batches to one batch matrix: the bridge from recurrent layers to a
/// dense head (`LastStep`, `AdditiveAttention`).
public protocol SequencePooling: AnyObject {
    /// The trainable parameters, in a stable order.
    var parameters: [Parameter] { get }
    /// Reduces the sequence (T batches of batch × features) to batch × features, caching what `backward` needs.
    func forward(_ sequence: [Matrix]) -> Matrix
    /// Accumulates parameter gradients and returns ∂loss/∂input for every step.
    func backward(_ outputGradient: Matrix) -> [Matrix]
}
