/// A differentiable map from a sequence of batches to a sequence of batches of the same length, such as `LSTM`.
///
/// A sequence is `[Matrix]` indexed by time step, each element batch × features: the [T × batch × features]
/// layout, with one product per step. `backward` takes ∂loss/∂output for every step (zeros where a step's output
/// was not used) and returns ∂loss/∂input for every step.
public protocol SequenceLayer: AnyObject {
    /// The trainable parameters, in a stable order.
    var parameters: [Parameter] { get }
    /// Maps the input sequence to the output sequence, caching what `backward` needs.
    func forward(_ sequence: [Matrix]) -> [Matrix]
    /// Accumulates parameter gradients and returns ∂loss/∂input per step, given ∂loss/∂output per step.
    func backward(_ outputGradients: [Matrix]) -> [Matrix]
}
