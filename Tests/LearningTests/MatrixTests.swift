import Learning
import Testing

/// `Matrix` products through OpenBLAS against a naive triple loop, and the broadcasting helpers.
@Suite struct MatrixTests {
    private func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
        var result = Matrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows {
            for j in 0..<b.columns {
                var total = 0.0
                for k in 0..<a.columns { total += a[i, k] * b[k, j] }
                result[i, j] = total
            }
        }
        return result
    }

    private func naiveTranspose(_ m: Matrix) -> Matrix {
        var result = Matrix(rows: m.columns, columns: m.rows)
        for i in 0..<m.rows { for j in 0..<m.columns { result[j, i] = m[i, j] } }
        return result
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func blasProductAgreesWithNaiveTripleLoop(transposeA: Bool, transposeB: Bool) {
        var generator = SeededGenerator(seed: 41)
        for _ in 0..<20 {
            let m = Int(generator.next() % 7) + 1
            let k = Int(generator.next() % 7) + 1
            let n = Int(generator.next() % 7) + 1
            let a = GradientCheck.random(transposeA ? k : m, transposeA ? m : k, &generator)
            let b = GradientCheck.random(transposeB ? n : k, transposeB ? k : n, &generator)
            let expected = naiveProduct(transposeA ? naiveTranspose(a) : a, transposeB ? naiveTranspose(b) : b)
            let actual = Matrix.product(a, b, transposeA: transposeA, transposeB: transposeB)
            #expect(actual.rows == m && actual.columns == n)
            #expect((actual - expected).maxAbsolute() < 1e-12)
        }
    }

    @Test func addProductAccumulatesScaledProductOntoExistingValues() {
        var generator = SeededGenerator(seed: 42)
        let a = GradientCheck.random(3, 4, &generator)
        let b = GradientCheck.random(4, 2, &generator)
        let start = GradientCheck.random(3, 2, &generator)
        var accumulated = start
        accumulated.addProduct(a, b, scale: -0.5)
        #expect((accumulated - (start + naiveProduct(a, b) * -0.5)).maxAbsolute() < 1e-12)
    }

    @Test func productOfKnownMatricesIsExact() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        let b = Matrix([[7, 8], [9, 10], [11, 12]])
        #expect(Matrix.product(a, b) == Matrix([[58, 64], [139, 154]]))
        #expect(Matrix.product(a, a, transposeB: true) == Matrix([[14, 32], [32, 77]]))
    }

    @Test func biasRowBroadcastsOverEveryRowAndColumnSumsInvertIt() {
        let batch = Matrix([[1, 2], [3, 4], [5, 6]])
        #expect(batch.addingRow(Matrix(row: [10, 20])) == Matrix([[11, 22], [13, 24], [15, 26]]))
        #expect(batch.columnSums() == Matrix(row: [9, 12]))
        #expect(batch.rowSums() == Matrix([[3], [7], [11]]))
        #expect(batch.transposed() == Matrix([[1, 3, 5], [2, 4, 6]]))
        #expect(batch.multiplyingColumns(by: Matrix([[1], [0], [2]])) == Matrix([[1, 2], [0, 0], [10, 12]]))
    }

    @Test func stackingAndSplittingRowsRoundTrip() {
        let steps = [Matrix([[1, 2]]), Matrix([[3, 4]]), Matrix([[5, 6]])]
        let stacked = Matrix.verticallyStacking(steps)
        #expect(stacked == Matrix([[1, 2], [3, 4], [5, 6]]))
        #expect(stacked.splittingRows(into: 3) == steps)
        #expect(stacked.columnSlice(1..<2) == Matrix([[2], [4], [6]]))
    }
}
