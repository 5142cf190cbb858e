/// A fully connected layer, `y = x·W + b`: the building block of the forecaster's head and PPO's policy and value
/// networks. Nonlinearities are separate `Activation` layers so a head can end linear (logits, means, values).
public final class Dense: Layer {
    /// Weights, inputs × outputs.
    public let weight: Parameter
    /// Bias, 1 × outputs.
    public let bias: Parameter
    private var input = Matrix(rows: 0, columns: 0)

    /// A layer from `inputs` to `outputs` features with weights drawn by `initialization` and a zero bias.
    public init(
        inputs: Int, outputs: Int, initialization: WeightInitialization = .glorotUniform,
        generator: inout SeededGenerator, name: String = "dense"
    ) {
        weight = Parameter(
            "\(name).weight", value: initialization.matrix(fanIn: inputs, fanOut: outputs, using: &generator)
        )
        bias = Parameter("\(name).bias", value: Matrix(rows: 1, columns: outputs))
    }

    /// The number of input features.
    public var inputs: Int { weight.value.rows }
    /// The number of output features.
    public var outputs: Int { weight.value.columns }

    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ input: Matrix) -> Matrix {
        precondition(input.columns == inputs, "Dense expects \(inputs) input features, got \(input.columns)")
        self.input = input
        return Matrix.product(input, weight.value).addingRow(bias.value)
    }

    public func backward(_ outputGradient: Matrix) -> Matrix {
        precondition(outputGradient.rows == input.rows && outputGradient.columns == outputs, "Dense gradient shape")
        weight.gradient.addProduct(input, outputGradient, transposeA: true)
        bias.gradient += outputGradient.columnSums()
        return Matrix.product(outputGradient, weight.value, transposeB: true)
    }
}
