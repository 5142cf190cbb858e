/// Recurrent layers, a pooling step and a dense head: the shape of the forecaster's model
/// (the seed's "two LSTM layers, attention, dense head").
///
/// Input is a sequence of T batches (batch × features each); output is batch × outputs.
public final class SequenceModel {
    /// The recurrent stack, applied in order.
    public let recurrentLayers: [any SequenceLayer]
    /// How the last recurrent layer's states become one row per example.
    public let pooling: any SequencePooling
    /// The head applied to the pooled states.
    public let head: Sequential

    public init(recurrentLayers: [any SequenceLayer], pooling: any SequencePooling, head: Sequential) {
        self.recurrentLayers = recurrentLayers
        self.pooling = pooling
        self.head = head
    }

    /// Stacked LSTMs of `hiddenSizes`, additive attention of `attentionSize` over the last one, then a dense head:
    /// one hidden tanh layer of `headHiddenSize` if given, and a linear layer to `outputs`.
    /// The seed forecaster is `lstmWithAttention(features: 32, hiddenSizes: [128, 64], attentionSize: 64,
    /// outputs: 1, …)`.
    public static func lstmWithAttention(
        features: Int, hiddenSizes: [Int], attentionSize: Int, headHiddenSize: Int? = nil, outputs: Int,
        generator: inout SeededGenerator
    ) -> SequenceModel {
        precondition(!hiddenSizes.isEmpty, "At least one LSTM layer is needed")
        var recurrent: [any SequenceLayer] = []
        var width = features
        for (index, size) in hiddenSizes.enumerated() {
            recurrent.append(LSTM(inputSize: width, hiddenSize: size, generator: &generator, name: "lstm\(index + 1)"))
            width = size
        }
        let attention = AdditiveAttention(
            features: width, attentionSize: attentionSize, generator: &generator, name: "attention"
        )
        var headLayers: [any Layer] = []
        if let headHiddenSize {
            headLayers.append(Dense(inputs: width, outputs: headHiddenSize, generator: &generator, name: "head1"))
            headLayers.append(Activation(.tanh))
            width = headHiddenSize
        }
        headLayers.append(Dense(inputs: width, outputs: outputs, generator: &generator, name: "head"))
        return SequenceModel(recurrentLayers: recurrent, pooling: attention, head: Sequential(headLayers))
    }

    /// Every trainable parameter: recurrent layers, pooling, head.
    public var parameters: [Parameter] {
        recurrentLayers.flatMap(\.parameters) + pooling.parameters + head.parameters
    }

    /// Maps a sequence (T × batch × features) to batch × outputs, caching what `backward` needs.
    public func forward(_ sequence: [Matrix]) -> Matrix {
        let states = recurrentLayers.reduce(sequence) { $1.forward($0) }
        return head.forward(pooling.forward(states))
    }

    /// Accumulates every parameter gradient and returns ∂loss/∂input per step.
    @discardableResult
    public func backward(_ outputGradient: Matrix) -> [Matrix] {
        let pooledGradient = head.backward(outputGradient)
        let stateGradients = pooling.backward(pooledGradient)
        return recurrentLayers.reversed().reduce(stateGradients) { $1.backward($0) }
    }
}
