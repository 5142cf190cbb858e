/// Pools a sequence to its last step: an LSTM that "returns only the last hidden state".
public final class LastStep: SequencePooling {
    private var shapes: (steps: Int, rows: Int, columns: Int) = (0, 0, 0)

    public init() {}

    public var parameters: [Parameter] { [] }

    public func forward(_ sequence: [Matrix]) -> Matrix {
        guard let last = sequence.last else { preconditionFailure("LastStep needs at least one step") }
        shapes = (sequence.count, last.rows, last.columns)
        return last
    }

    public func backward(_ outputGradient: Matrix) -> [Matrix] {
        var gradients = [Matrix](
            repeating: Matrix(rows: shapes.rows, columns: shapes.columns), count: shapes.steps - 1
        )
        gradients.append(outputGradient)
        return gradients
    }
}
