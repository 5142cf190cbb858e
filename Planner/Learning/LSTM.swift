#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A long short-term memory layer over a whole sequence, trained by full backpropagation through time.
///
/// Input is T batches of batch × `inputSize`; output is the hidden state h_t (batch × `hiddenSize`) at every step,
/// so layers stack and a `LastStep` or `AdditiveAttention` pooling picks what the head sees. The four gates are
/// kept side by side in PyTorch's order (input, forget, cell, output), so each step costs one recurrent product
/// and the input products of all steps are one product. The state starts at zero for every sequence.
///
/// Initialisation follows Keras: Glorot-uniform input weights, orthogonal recurrent weights, zero bias except the
/// forget gate's, which starts at 1 so early training does not forget by default.
public final class LSTM: SequenceLayer {
    /// Input weights, inputSize × 4·hiddenSize (gate blocks i, f, g, o).
    public let inputWeight: Parameter
    /// Recurrent weights, hiddenSize × 4·hiddenSize.
    public let recurrentWeight: Parameter
    /// Bias, 1 × 4·hiddenSize.
    public let bias: Parameter
    /// Features per step in.
    public let inputSize: Int
    /// Features per step out.
    public let hiddenSize: Int

    // Caches from the last forward pass.
    private var stackedInput = Matrix(rows: 0, columns: 0)
    private var gates: [Matrix] = []      // per step, batch × 4H, after the gate nonlinearities
    private var cells: [Matrix] = []      // per step, c_t
    private var cellTanh: [Matrix] = []   // per step, tanh(c_t)
    private var hidden: [Matrix] = []     // per step, h_t
    private var batch = 0

    /// A layer from `inputSize` to `hiddenSize` features per step.
    public init(inputSize: Int, hiddenSize: Int, generator: inout SeededGenerator, name: String = "lstm") {
        precondition(inputSize > 0 && hiddenSize > 0, "LSTM sizes must be positive")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        let gateWidth = 4 * hiddenSize
        inputWeight = Parameter(
            "\(name).inputWeight",
            value: WeightInitialization.glorotUniform.matrix(fanIn: inputSize, fanOut: gateWidth, using: &generator)
        )
        recurrentWeight = Parameter(
            "\(name).recurrentWeight",
            value: WeightInitialization.orthogonal(gain: 1)
                .matrix(fanIn: hiddenSize, fanOut: gateWidth, using: &generator)
        )
        var initialBias = Matrix(rows: 1, columns: gateWidth)
        for j in hiddenSize..<(2 * hiddenSize) { initialBias.values[j] = 1 }
        bias = Parameter("\(name).bias", value: initialBias)
    }

    public var parameters: [Parameter] { [inputWeight, recurrentWeight, bias] }

    public func forward(_ sequence: [Matrix]) -> [Matrix] {
        precondition(!sequence.isEmpty, "LSTM needs at least one step")
        let h = hiddenSize
        batch = sequence[0].rows
        precondition(
            sequence.allSatisfy { $0.rows == batch && $0.columns == inputSize },
            "LSTM expects every step to be \(batch)×\(inputSize)"
        )
        stackedInput = Matrix.verticallyStacking(sequence)
        let inputProjection = Matrix.product(stackedInput, inputWeight.value).addingRow(bias.value)
        gates = []
        cells = []
        cellTanh = []
        hidden = []
        gates.reserveCapacity(sequence.count)
        var previousHidden = Matrix(rows: batch, columns: h)
        var previousCell = Matrix(rows: batch, columns: h)
        for t in 0..<sequence.count {
            var z = inputProjection.rowSlice((t * batch)..<((t + 1) * batch))
            if t > 0 { z.addProduct(previousHidden, recurrentWeight.value) }
            var cell = Matrix(rows: batch, columns: h)
            var squashed = Matrix(rows: batch, columns: h)
            var output = Matrix(rows: batch, columns: h)
            z.values.withUnsafeMutableBufferPointer { zp in
                previousCell.values.withUnsafeBufferPointer { cp in
                    cell.values.withUnsafeMutableBufferPointer { cn in
                        squashed.values.withUnsafeMutableBufferPointer { tn in
                            output.values.withUnsafeMutableBufferPointer { hn in
                                for b in 0..<batch {
                                    let row = b * 4 * h
                                    for j in 0..<h {
                                        let i = Activation.sigmoid(zp[row + j])
                                        let f = Activation.sigmoid(zp[row + h + j])
                                        let g = tanh(zp[row + 2 * h + j])
                                        let o = Activation.sigmoid(zp[row + 3 * h + j])
                                        zp[row + j] = i
                                        zp[row + h + j] = f
                                        zp[row + 2 * h + j] = g
                                        zp[row + 3 * h + j] = o
                                        let c = f * cp[b * h + j] + i * g
                                        let tc = tanh(c)
                                        cn[b * h + j] = c
                                        tn[b * h + j] = tc
                                        hn[b * h + j] = o * tc
                                    }
                                }
                            }
                        }
                    }
                }
            }
            gates.append(z)
            cells.append(cell)
            cellTanh.append(squashed)
            hidden.append(output)
            previousHidden = output
            previousCell = cell
        }
        return hidden
    }

    public func backward(_ outputGradients: [Matrix]) -> [Matrix] {
        let steps = gates.count
        let h = hiddenSize
        precondition(outputGradients.count == steps, "LSTM backward needs one gradient per step")
        let zeroState = Matrix(rows: batch, columns: h)
        var hiddenGradient = Matrix(rows: batch, columns: h)   // ∂loss/∂h_t from step t + 1
        var cellGradient = Matrix(rows: batch, columns: h)     // ∂loss/∂c_t from step t + 1
        var gateGradients = [Matrix](repeating: Matrix(rows: 0, columns: 0), count: steps)
        for t in stride(from: steps - 1, through: 0, by: -1) {
            precondition(outputGradients[t].rows == batch && outputGradients[t].columns == h, "LSTM gradient shape")
            let previousCell = t > 0 ? cells[t - 1] : zeroState
            var dz = Matrix(rows: batch, columns: 4 * h)
            gates[t].values.withUnsafeBufferPointer { gp in
                cellTanh[t].values.withUnsafeBufferPointer { tp in
                    previousCell.values.withUnsafeBufferPointer { cp in
                        outputGradients[t].values.withUnsafeBufferPointer { dhOut in
                            hiddenGradient.values.withUnsafeBufferPointer { dhNext in
                                cellGradient.values.withUnsafeMutableBufferPointer { dc in
                                    dz.values.withUnsafeMutableBufferPointer { dzp in
                                        for b in 0..<batch {
                                            let row = b * 4 * h
                                            for j in 0..<h {
                                                let k = b * h + j
                                                let i = gp[row + j]
                                                let f = gp[row + h + j]
                                                let g = gp[row + 2 * h + j]
                                                let o = gp[row + 3 * h + j]
                                                let tc = tp[k]
                                                let dh = dhOut[k] + dhNext[k]
                                                let dCell = dc[k] + dh * o * (1 - tc * tc)
                                                dzp[row + j] = dCell * g * i * (1 - i)
                                                dzp[row + h + j] = dCell * cp[k] * f * (1 - f)
                                                dzp[row + 2 * h + j] = dCell * i * (1 - g * g)
                                                dzp[row + 3 * h + j] = dh * tc * o * (1 - o)
                                                dc[k] = dCell * f
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if t > 0 {
                recurrentWeight.gradient.addProduct(hidden[t - 1], dz, transposeA: true)
                hiddenGradient = Matrix.product(dz, recurrentWeight.value, transposeB: true)
            }
            gateGradients[t] = dz
        }
        let stackedGradient = Matrix.verticallyStacking(gateGradients)
        inputWeight.gradient.addProduct(stackedInput, stackedGradient, transposeA: true)
        bias.gradient += stackedGradient.columnSums()
        return Matrix.product(stackedGradient, inputWeight.value, transposeB: true).splittingRows(into: steps)
    }
}
