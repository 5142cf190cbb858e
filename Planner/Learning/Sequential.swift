/// Layers applied one after another: a multilayer perceptron is `Sequential([Dense, Activation, Dense])`.
public final class Sequential: Layer {
    /// The layers in application order.
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public func forward(_ input: Matrix) -> Matrix {
        layers.reduce(input) { $1.forward($0) }
    }

    @discardableResult
    public func backward(_ outputGradient: Matrix) -> Matrix {
        layers.reversed().reduce(outputGradient) { $1.backward($0) }
    }
}
