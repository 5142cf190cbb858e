/// The Adam optimiser, step for step as `torch.optim.Adam` (no weight decay, no AMSGrad).
///
/// Defaults are PyTorch's: learning rate 1e-3, β1 0.9, β2 0.999, ε 1e-8. Stable-Baselines3's PPO builds its
/// Adam with `eps=1e-5` and learning rate 3e-4; pass those to match it. `learningRate` is mutable so a caller can
/// apply a schedule.
public final class Adam {
    /// The parameters updated by `step()`.
    public let parameters: [Parameter]
    /// Step size; a schedule may change it between steps.
    public var learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    /// Steps taken so far (the t of the bias correction).
    public private(set) var stepCount = 0
    private var firstMoments: [Matrix]
    private var secondMoments: [Matrix]
    private var beta1Power = 1.0
    private var beta2Power = 1.0

    public init(
        parameters: [Parameter], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8
    ) {
        precondition(learningRate >= 0 && epsilon > 0, "Adam needs a non-negative learning rate and positive ε")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam betas must be in [0, 1)")
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoments = parameters.map { Matrix(zerosLike: $0.value) }
        secondMoments = parameters.map { Matrix(zerosLike: $0.value) }
    }

    /// Resets every parameter's gradient.
    public func zeroGradients() {
        parameters.zeroGradients()
    }

    /// Moves every parameter against its accumulated gradient.
    public func step() {
        stepCount += 1
        beta1Power *= beta1
        beta2Power *= beta2
        let correction1 = 1 - beta1Power
        let correction2Root = (1 - beta2Power).squareRoot()
        let stepSize = learningRate / correction1
        for (index, parameter) in parameters.enumerated() {
            let gradient = parameter.gradient
            precondition(gradient.hasShape(of: parameter.value), "Gradient shape of \(parameter.name)")
            firstMoments[index].values.withUnsafeMutableBufferPointer { m in
                secondMoments[index].values.withUnsafeMutableBufferPointer { v in
                    parameter.value.values.withUnsafeMutableBufferPointer { p in
                        gradient.values.withUnsafeBufferPointer { g in
                            for i in p.indices {
                                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                                p[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2Root + epsilon)
                            }
                        }
                    }
                }
            }
        }
    }
}
