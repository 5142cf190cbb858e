#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An elementwise nonlinearity as a layer without parameters (tanh for SB3's policy networks, ReLU, sigmoid).
public final class Activation: Layer {
    /// The elementwise functions on offer.
    public enum Function: Sendable, Equatable {
        case identity
        case tanh
        case relu
        case sigmoid
    }

    /// The function applied to every entry.
    public let function: Function
    private var output = Matrix(rows: 0, columns: 0)

    public init(_ function: Function) {
        self.function = function
    }

    public var parameters: [Parameter] { [] }

    public func forward(_ input: Matrix) -> Matrix {
        switch function {
        case .identity: output = input
        case .tanh: output = input.map { tanh($0) }
        case .relu: output = input.map { max($0, 0) }
        case .sigmoid: output = input.map(Activation.sigmoid)
        }
        return output
    }

    public func backward(_ outputGradient: Matrix) -> Matrix {
        precondition(outputGradient.hasShape(of: output), "Activation gradient shape")
        switch function {
        case .identity: return outputGradient
        case .tanh: return outputGradient.combined(with: output) { g, y in g * (1 - y * y) }
        case .relu: return outputGradient.combined(with: output) { g, y in y > 0 ? g : 0 }
        case .sigmoid: return outputGradient.combined(with: output) { g, y in g * y * (1 - y) }
        }
    }

    /// The logistic function, computed without overflow for large negative inputs.
    public static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }
}
