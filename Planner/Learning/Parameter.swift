/// A trainable tensor and the gradient accumulated for it: what an optimiser iterates over.
///
/// A reference type so the layer that owns it and the optimiser that updates it see the same storage. Backward
/// passes add to `gradient` (as PyTorch does), so gradients from several heads or steps sum until `zeroGradient()`.
public final class Parameter {
    /// A name for diagnostics and checkpoints, such as `"lstm1.recurrentWeight"`.
    public let name: String
    /// The current value.
    public var value: Matrix
    /// The accumulated gradient of the loss with respect to `value`; same shape.
    public var gradient: Matrix

    /// A parameter starting at `value` with a zero gradient.
    public init(_ name: String, value: Matrix) {
        self.name = name
        self.value = value
        self.gradient = Matrix(zerosLike: value)
    }

    /// Resets the accumulated gradient to zero.
    public func zeroGradient() {
        gradient.setZero()
    }
}

extension Array where Element == Parameter {
    /// Resets every parameter's gradient: call before each backward pass.
    public func zeroGradients() {
        for parameter in self { parameter.zeroGradient() }
    }

    /// The number of trainable scalars.
    public var scalarCount: Int { reduce(0) { $0 + $1.value.count } }
}
