/// An `ActorCritic`'s architecture and weights as plain values, for saving a trained policy as JSON and loading it
/// back bit for bit (a `Double` survives JSON's shortest round-trip representation).
public struct ActorCriticSnapshot: Codable, Sendable, Equatable {
    /// One named weight matrix.
    public struct Tensor: Codable, Sendable, Equatable {
        public var name: String
        public var rows: Int
        public var columns: Int
        public var values: [Double]
    }

    public var observationSize: Int
    /// `"discrete"` or `"box"`.
    public var actionKind: String
    /// Choices for a discrete space; low and high bounds for a box.
    public var actionCount: Int
    public var actionLow: [Double]
    public var actionHigh: [Double]
    public var hiddenSizes: [Int]
    public var tensors: [Tensor]

    /// The model's current architecture and weights.
    public init(_ model: ActorCritic) {
        observationSize = model.observationSize
        hiddenSizes = model.hiddenSizes
        switch model.actionSpace {
        case .discrete(let count):
            actionKind = "discrete"
            actionCount = count
            actionLow = []
            actionHigh = []
        case .box(let low, let high):
            actionKind = "box"
            actionCount = low.count
            actionLow = low
            actionHigh = high
        }
        tensors = model.parameters.map {
            Tensor(name: $0.name, rows: $0.value.rows, columns: $0.value.columns, values: $0.value.values)
        }
    }

    /// The action space described.
    public var actionSpace: ActionSpace? {
        switch actionKind {
        case "discrete": return actionCount > 0 ? .discrete(count: actionCount) : nil
        case "box":
            guard actionLow.count == actionCount, actionHigh.count == actionCount, actionCount > 0 else { return nil }
            return .box(low: actionLow, high: actionHigh)
        default: return nil
        }
    }

    /// A model with this architecture and these weights; nil when the snapshot is inconsistent (a tensor missing,
    /// misnamed or misshapen, an unknown action kind).
    public func model() -> ActorCritic? {
        guard observationSize > 0, !hiddenSizes.isEmpty, hiddenSizes.allSatisfy({ $0 > 0 && $0 <= 4096 }),
              observationSize <= 100_000, let space = actionSpace else { return nil }
        var generator = SeededGenerator(seed: 0)
        let model = ActorCritic(observationSize: observationSize, actionSpace: space, hiddenSizes: hiddenSizes,
                                generator: &generator)
        let parameters = model.parameters
        guard parameters.count == tensors.count else { return nil }
        for (parameter, tensor) in zip(parameters, tensors) {
            guard parameter.name == tensor.name, parameter.value.rows == tensor.rows,
                  parameter.value.columns == tensor.columns, tensor.values.count == tensor.rows * tensor.columns,
                  tensor.values.allSatisfy(\.isFinite) else { return nil }
            parameter.value = Matrix(rows: tensor.rows, columns: tensor.columns, values: tensor.values)
        }
        return model
    }
}
