/// Clipping of gradients by their global norm, as `torch.nn.utils.clip_grad_norm_`: SB3's PPO calls it with
/// `max_grad_norm` 0.5 between backward and the optimiser step, so one bad minibatch cannot throw the policy far.
public enum GradientClipping {
    /// Scales every gradient by `maxNorm / (norm + 1e-6)` when the global L2 norm exceeds `maxNorm`;
    /// returns the norm before clipping.
    @discardableResult
    public static func clipByGlobalNorm(_ parameters: [Parameter], maxNorm: Double) -> Double {
        precondition(maxNorm > 0, "maxNorm must be positive")
        let norm = globalNorm(parameters)
        let coefficient = maxNorm / (norm + 1e-6)
        if coefficient < 1 {
            for parameter in parameters { parameter.gradient = parameter.gradient * coefficient }
        }
        return norm
    }

    /// The L2 norm of all gradients taken together.
    public static func globalNorm(_ parameters: [Parameter]) -> Double {
        parameters.reduce(0) { $0 + $1.gradient.squaredNorm() }.squareRoot()
    }
}
