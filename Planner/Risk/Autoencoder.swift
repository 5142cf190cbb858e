import Learning

/// A small dense autoencoder (features → 8 → 2 → 8 → features, tanh), trained with Adam on mean squared error;
/// its reconstruction error is large for inputs unlike the ones it was trained on.
public final class Autoencoder {
    let network: Sequential

    /// Trains on `rows` for `epochs` full passes in mini-batches of `batchSize`, seeded.
    public init(rows: [[Double]], epochs: Int = 60, batchSize: Int = 64, learningRate: Double = 0.01,
                seed: UInt64 = 11) {
        precondition(!rows.isEmpty && epochs > 0 && batchSize > 0)
        let width = rows[0].count
        var generator = SeededGenerator(seed: seed)
        network = Sequential([
            Dense(inputs: width, outputs: 8, generator: &generator, name: "encoder1"), Activation(.tanh),
            Dense(inputs: 8, outputs: 2, generator: &generator, name: "code"), Activation(.tanh),
            Dense(inputs: 2, outputs: 8, generator: &generator, name: "decoder1"), Activation(.tanh),
            Dense(inputs: 8, outputs: width, generator: &generator, name: "output"),
        ])
        let optimizer = Adam(parameters: network.parameters, learningRate: learningRate)
        let loss = MeanSquaredError()
        var order = Array(rows.indices)
        for _ in 0..<epochs {
            for position in order.indices.reversed() where position > 0 {
                order.swapAt(position, Int(generator.next() % UInt64(position + 1)))
            }
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let batch = Matrix(order[start..<min(start + batchSize, order.count)].map { rows[$0] })
                optimizer.zeroGradients()
                let prediction = network.forward(batch)
                let (_, gradient) = loss.evaluate(prediction: prediction, target: batch)
                _ = network.backward(gradient)
                optimizer.step()
            }
        }
    }

    /// The mean squared reconstruction error of each row.
    public func reconstructionErrors(_ rows: [[Double]]) -> [Double] {
        guard !rows.isEmpty else { return [] }
        let input = Matrix(rows)
        let output = network.forward(input)
        return (0..<input.rows).map { row in
            var sum = 0.0
            for column in 0..<input.columns {
                let difference = output[row, column] - input[row, column]
                sum += difference * difference
            }
            return sum / Double(input.columns)
        }
    }
}
