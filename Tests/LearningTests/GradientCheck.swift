import Learning

/// Central finite differences against a layer's backward pass, in double precision.
///
/// Every checked quantity (inputs included) is held in a `Parameter`, perturbed one entry at a time by ±`step`,
/// and the scalar loss re-evaluated. The error per entry is |analytic − numeric| / max(|analytic|, |numeric|, floor);
/// the floor keeps entries whose true gradient is ~0 from dividing rounding noise by zero.
enum GradientCheck {
    static let step = 1e-5
    static let floor = 1e-7
    static let tolerance = 1e-4

    /// The largest relative error over the entries of `target` between `analytic` and central differences of
    /// `loss`.
    static func maxRelativeError(_ target: Parameter, analytic: Matrix, loss: () -> Double) -> Double {
        precondition(analytic.hasShape(of: target.value), "analytic gradient shape of \(target.name)")
        var worst = 0.0
        for i in target.value.values.indices {
            let original = target.value.values[i]
            target.value.values[i] = original + step
            let plus = loss()
            target.value.values[i] = original - step
            let minus = loss()
            target.value.values[i] = original
            let numeric = (plus - minus) / (2 * step)
            let a = analytic.values[i]
            let error = abs(a - numeric) / max(abs(a), abs(numeric), floor)
            worst = max(worst, error)
        }
        return worst
    }

    static func random(_ rows: Int, _ columns: Int, _ generator: inout SeededGenerator, scale: Double = 1) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for i in m.values.indices { m.values[i] = scale * generator.nextNormal() }
        return m
    }

    /// Moves every parameter off its initial value so no special structure (zero bias, forget bias 1) hides a bug.
    static func jitter(_ parameters: [Parameter], _ generator: inout SeededGenerator) {
        for p in parameters { p.value += random(p.value.rows, p.value.columns, &generator, scale: 0.3) }
    }

    /// Max relative error per checked quantity ("input" and every parameter name) for a batch layer under the
    /// loss ⟨R, layer(x)⟩ with a fixed random R, whose gradient with respect to the output is R.
    static func check(_ layer: any Layer, batch: Int, inputs: Int, seed: UInt64) -> [String: Double] {
        var generator = SeededGenerator(seed: seed)
        jitter(layer.parameters, &generator)
        let input = Parameter("input", value: random(batch, inputs, &generator))
        let probe = layer.forward(input.value)
        let projection = random(probe.rows, probe.columns, &generator)
        let loss = { layer.forward(input.value).hadamard(projection).sum() }
        _ = layer.forward(input.value)
        layer.parameters.zeroGradients()
        let inputGradient = layer.backward(projection)
        let analytic = layer.parameters.map { ($0, $0.gradient) }
        var errors = ["input": maxRelativeError(input, analytic: inputGradient, loss: loss)]
        for (parameter, gradient) in analytic {
            errors[parameter.name] = maxRelativeError(parameter, analytic: gradient, loss: loss)
        }
        return errors
    }

    /// As `check(_:batch:inputs:seed:)` for a model from a sequence (`steps` batches) to one matrix:
    /// the input of every step is checked as "input".
    static func checkSequence(
        parameters: [Parameter], steps: Int, batch: Int, inputs: Int, seed: UInt64,
        forward: @escaping ([Matrix]) -> Matrix, backward: (Matrix) -> [Matrix]
    ) -> [String: Double] {
        var generator = SeededGenerator(seed: seed)
        jitter(parameters, &generator)
        let input = Parameter("input", value: random(steps * batch, inputs, &generator))
        let probe = forward(input.value.splittingRows(into: steps))
        let projection = random(probe.rows, probe.columns, &generator)
        let loss = { forward(input.value.splittingRows(into: steps)).hadamard(projection).sum() }
        _ = loss()
        parameters.zeroGradients()
        let inputGradient = Matrix.verticallyStacking(backward(projection))
        let analytic = parameters.map { ($0, $0.gradient) }
        var errors = ["input": maxRelativeError(input, analytic: inputGradient, loss: loss)]
        for (parameter, gradient) in analytic {
            errors[parameter.name] = maxRelativeError(parameter, analytic: gradient, loss: loss)
        }
        return errors
    }

    /// A one-line summary for the test log, largest error first.
    static func summary(_ label: String, _ errors: [String: Double]) -> String {
        let worst = errors.values.max() ?? 0
        let parts = errors.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "gradient-check \(label): max \(worst) [\(parts)]"
    }
}
