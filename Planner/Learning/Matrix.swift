import COpenBLAS

/// A dense matrix of `Double`s in row-major order: the one numeric container of the learning core.
///
/// A value type, so a layer's cached activations cannot be changed behind its back; products go through
/// OpenBLAS (`cblas_dgemm`) because they are where training spends its time. A batch is a matrix with one
/// example per row; a bias is a 1 × n row broadcast over the batch.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The entries, row after row (`rows * columns` of them).
    public var values: [Double]

    /// A `rows` × `columns` matrix with every entry `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.values = [Double](repeating: value, count: rows * columns)
    }

    /// A `rows` × `columns` matrix over `values` given row after row.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        precondition(values.count == rows * columns, "Matrix needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix from its rows, which must all have the same length.
    public init(_ rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "Matrix rows must have equal length")
        self.init(rows: rowArrays.count, columns: columns, values: rowArrays.flatMap { $0 })
    }

    /// A 1 × n row vector.
    public init(row: [Double]) {
        self.init(rows: 1, columns: row.count, values: row)
    }

    /// A matrix of zeros with the same shape as `other`.
    public init(zerosLike other: Matrix) {
        self.init(rows: other.rows, columns: other.columns)
    }

    /// The number of entries.
    public var count: Int { values.count }

    /// The entry at `row`, `column`.
    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// True if `other` has the same number of rows and columns.
    public func hasShape(of other: Matrix) -> Bool { rows == other.rows && columns == other.columns }

    public var description: String {
        "Matrix(\(rows)×\(columns))"
    }
}

// MARK: - Products (OpenBLAS)

extension Matrix {
    /// `op(a) · op(b)`, where `op` transposes when asked: the product every layer is built from.
    public static func product(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false
    ) -> Matrix {
        let m = transposeA ? a.columns : a.rows
        let n = transposeB ? b.rows : b.columns
        var result = Matrix(rows: m, columns: n)
        result.addProduct(a, b, transposeA: transposeA, transposeB: transposeB)
        return result
    }

    /// Adds `scale · op(a) · op(b)` to this matrix in place (`cblas_dgemm` with β = 1): how gradients accumulate
    /// over time steps without a temporary per step.
    public mutating func addProduct(
        _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false, scale: Double = 1
    ) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let kB = transposeB ? b.columns : b.rows
        let n = transposeB ? b.rows : b.columns
        precondition(k == kB, "Matrix product inner dimensions differ: \(k) and \(kB)")
        precondition(rows == m && columns == n, "Matrix product result is \(m)×\(n), target is \(rows)×\(columns)")
        guard m > 0, n > 0, k > 0 else { return }
        let lda = max(a.columns, 1)
        let ldb = max(b.columns, 1)
        let ldc = max(columns, 1)
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                values.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasRowMajor,
                        transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        blasint(m), blasint(n), blasint(k),
                        scale, pa.baseAddress, blasint(lda),
                        pb.baseAddress, blasint(ldb),
                        1, pc.baseAddress, blasint(ldc)
                    )
                }
            }
        }
    }

    /// The transpose.
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        values.withUnsafeBufferPointer { src in
            result.values.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    for c in 0..<columns { dst[c * rows + r] = src[r * columns + c] }
                }
            }
        }
        return result
    }
}

// MARK: - Elementwise

extension Matrix {
    /// Applies `transform` to every entry.
    public func map(_ transform: (Double) -> Double) -> Matrix {
        var result = self
        result.values.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = transform(buffer[i]) }
        }
        return result
    }

    /// Combines two matrices of the same shape entry by entry.
    public func combined(with other: Matrix, _ combine: (Double, Double) -> Double) -> Matrix {
        precondition(hasShape(of: other), "Matrix shapes differ: \(rows)×\(columns) and \(other.rows)×\(other.columns)")
        var result = self
        result.values.withUnsafeMutableBufferPointer { dst in
            other.values.withUnsafeBufferPointer { src in
                for i in dst.indices { dst[i] = combine(dst[i], src[i]) }
            }
        }
        return result
    }

    /// The entrywise (Hadamard) product.
    public func hadamard(_ other: Matrix) -> Matrix { combined(with: other, *) }

    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.combined(with: rhs, +) }
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix { lhs.combined(with: rhs, -) }
    public static func * (lhs: Double, rhs: Matrix) -> Matrix { rhs.map { lhs * $0 } }
    public static func * (lhs: Matrix, rhs: Double) -> Matrix { lhs.map { $0 * rhs } }
    public static prefix func - (operand: Matrix) -> Matrix { operand.map { -$0 } }

    public static func += (lhs: inout Matrix, rhs: Matrix) {
        precondition(lhs.hasShape(of: rhs), "Matrix shapes differ in +=")
        lhs.values.withUnsafeMutableBufferPointer { dst in
            rhs.values.withUnsafeBufferPointer { src in
                for i in dst.indices { dst[i] += src[i] }
            }
        }
    }

    public static func -= (lhs: inout Matrix, rhs: Matrix) {
        precondition(lhs.hasShape(of: rhs), "Matrix shapes differ in -=")
        lhs.values.withUnsafeMutableBufferPointer { dst in
            rhs.values.withUnsafeBufferPointer { src in
                for i in dst.indices { dst[i] -= src[i] }
            }
        }
    }

    /// Sets every entry to zero, keeping the shape.
    public mutating func setZero() {
        values.withUnsafeMutableBufferPointer { buffer in
            buffer.update(repeating: 0)
        }
    }
}

// MARK: - Broadcasting and reductions

extension Matrix {
    /// Adds the 1 × `columns` row `bias` to every row: a layer's bias over a batch.
    public func addingRow(_ bias: Matrix) -> Matrix {
        precondition(bias.rows == 1 && bias.columns == columns, "Bias must be 1×\(columns)")
        var result = self
        result.values.withUnsafeMutableBufferPointer { dst in
            bias.values.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let base = r * columns
                    for c in 0..<columns { dst[base + c] += b[c] }
                }
            }
        }
        return result
    }

    /// Multiplies every row entrywise by the 1 × `columns` row `scale`.
    public func multiplyingRows(by scale: Matrix) -> Matrix {
        precondition(scale.rows == 1 && scale.columns == columns, "Row scale must be 1×\(columns)")
        var result = self
        for r in 0..<rows {
            for c in 0..<columns { result.values[r * columns + c] *= scale.values[c] }
        }
        return result
    }

    /// Multiplies every column entrywise by the `rows` × 1 column `scale` (one factor per example).
    public func multiplyingColumns(by scale: Matrix) -> Matrix {
        precondition(scale.columns == 1 && scale.rows == rows, "Column scale must be \(rows)×1")
        var result = self
        for r in 0..<rows {
            let factor = scale.values[r]
            for c in 0..<columns { result.values[r * columns + c] *= factor }
        }
        return result
    }

    /// The 1 × `columns` row of column sums: a bias gradient over a batch.
    public func columnSums() -> Matrix {
        var result = Matrix(rows: 1, columns: columns)
        values.withUnsafeBufferPointer { src in
            result.values.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    let base = r * columns
                    for c in 0..<columns { dst[c] += src[base + c] }
                }
            }
        }
        return result
    }

    /// The `rows` × 1 column of row sums.
    public func rowSums() -> Matrix {
        var result = Matrix(rows: rows, columns: 1)
        values.withUnsafeBufferPointer { src in
            for r in 0..<rows {
                var total = 0.0
                for c in 0..<columns { total += src[r * columns + c] }
                result.values[r] = total
            }
        }
        return result
    }

    /// The sum of all entries.
    public func sum() -> Double { values.reduce(0, +) }

    /// The sum of squared entries (the squared Frobenius norm).
    public func squaredNorm() -> Double { values.reduce(0) { $0 + $1 * $1 } }

    /// The largest absolute entry (0 for an empty matrix).
    public func maxAbsolute() -> Double { values.reduce(0) { max($0, abs($1)) } }
}

// MARK: - Slicing and stacking

extension Matrix {
    /// Rows `range` as a new matrix.
    public func rowSlice(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "Row range out of bounds")
        return Matrix(
            rows: range.count, columns: columns,
            values: Array(values[(range.lowerBound * columns)..<(range.upperBound * columns)])
        )
    }

    /// Columns `range` as a new matrix.
    public func columnSlice(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns, "Column range out of bounds")
        var result = Matrix(rows: rows, columns: range.count)
        for r in 0..<rows {
            for (j, c) in range.enumerated() { result.values[r * range.count + j] = values[r * columns + c] }
        }
        return result
    }

    /// The blocks stacked on top of each other; all must have the same number of columns.
    /// A sequence of T batches becomes one (T·batch) × features matrix, so one product serves every step.
    public static func verticallyStacking(_ blocks: [Matrix]) -> Matrix {
        guard let first = blocks.first else { return Matrix(rows: 0, columns: 0) }
        precondition(blocks.allSatisfy { $0.columns == first.columns }, "Stacked blocks must have equal columns")
        var values: [Double] = []
        values.reserveCapacity(blocks.reduce(0) { $0 + $1.count })
        for block in blocks { values.append(contentsOf: block.values) }
        return Matrix(rows: values.count / max(first.columns, 1), columns: first.columns, values: values)
    }

    /// Splits the rows into `count` equal blocks: the inverse of `verticallyStacking`.
    public func splittingRows(into count: Int) -> [Matrix] {
        precondition(count > 0 && rows % count == 0, "\(rows) rows do not split into \(count) equal blocks")
        let size = rows / count
        return (0..<count).map { rowSlice(($0 * size)..<(($0 + 1) * size)) }
    }
}
