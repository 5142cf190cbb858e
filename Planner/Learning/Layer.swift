/// A differentiable map from one batch matrix (one example per row) to another.
///
/// `forward` caches what `backward` needs; `backward` takes ∂loss/∂output for the most recent `forward`, adds the
/// parameter gradients into `parameters`, and returns ∂loss/∂input. One small protocol lets dense layers,
/// activations and whole `Sequential` stacks compose and lets an optimiser reach every parameter.
public protocol Layer: AnyObject {
    /// The trainable parameters, in a stable order.
    var parameters: [Parameter] { get }
    /// Maps `input` (batch × inputs) to the output (batch × outputs), caching what `backward` needs.
    func forward(_ input: Matrix) -> Matrix
    /// Accumulates parameter gradients and returns ∂loss/∂input, given ∂loss/∂output of the last `forward`.
    func backward(_ outputGradient: Matrix) -> Matrix
}
