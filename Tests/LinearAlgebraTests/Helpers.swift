import PaperFeedCore
import Testing

@testable import LinearAlgebra

/// Shared helpers for the LinearAlgebra tests.
enum TestData {
    /// `rows × columns` with entries uniform in [-1, 1), from `seed`.
    static func dense(_ rows: Int, _ columns: Int, seed: UInt64) -> DenseMatrix {
        var g = SeededGenerator(seed: seed)
        return DenseMatrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Float(2 * g.nextUnit() - 1) })
    }

    /// A random sparse matrix with about `density · rows · columns` non-zeros.
    static func sparse(_ rows: Int, _ columns: Int, density: Double, seed: UInt64) -> CSRMatrix {
        var g = SeededGenerator(seed: seed)
        var pointers = [0], indices: [Int32] = [], values: [Float] = []
        for _ in 0..<rows {
            for c in 0..<columns where g.nextUnit() < density {
                indices.append(Int32(c))
                values.append(Float(2 * g.nextUnit() - 1))
            }
            pointers.append(indices.count)
        }
        return try! CSRMatrix(rows: rows, columns: columns, rowPointers: pointers, columnIndices: indices, values: values)
    }

    /// A dense matrix stored as CSR with the exact singular values `s`: `U·diag(s)·Vᵀ` for random
    /// orthonormal `U` (`n × r`) and `V` (`m × r`), built in double.
    static func knownSpectrum(_ n: Int, _ m: Int, singularValues s: [Double], seed: UInt64) -> CSRMatrix {
        let r = s.count
        func orthonormal(_ rows: Int, _ seed: UInt64) -> [[Double]] {
            var g = SeededGenerator(seed: seed)
            var cols: [[Double]] = []
            for _ in 0..<r {
                var v = (0..<rows).map { _ in g.nextGaussian() }
                for _ in 0..<2 {  // Gram–Schmidt, twice
                    for c in cols {
                        let d = zip(v, c).reduce(0) { $0 + $1.0 * $1.1 }
                        for i in 0..<rows { v[i] -= d * c[i] }
                    }
                }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                cols.append(v.map { $0 / norm })
            }
            return cols
        }
        let u = orthonormal(n, seed), v = orthonormal(m, seed &+ 1)
        var pointers = [0], indices: [Int32] = [], values: [Float] = []
        for i in 0..<n {
            for j in 0..<m {
                var x = 0.0
                for t in 0..<r { x += u[t][i] * s[t] * v[t][j] }
                indices.append(Int32(j))
                values.append(Float(x))
            }
            pointers.append(indices.count)
        }
        return try! CSRMatrix(rows: n, columns: m, rowPointers: pointers, columnIndices: indices, values: values)
    }

    /// `max |a − b|` over entries.
    static func maxDifference(_ a: DenseMatrix, _ b: DenseMatrix) -> Float {
        precondition(a.rows == b.rows && a.columns == b.columns)
        return zip(a.values, b.values).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// Reference dense product in double.
    static func product(_ a: DenseMatrix, _ b: DenseMatrix) -> DenseMatrix {
        var c = DenseMatrix(zeros: a.rows, b.columns)
        for i in 0..<a.rows {
            for j in 0..<b.columns {
                var s = 0.0
                for t in 0..<a.columns { s += Double(a[i, t]) * Double(b[t, j]) }
                c[i, j] = Float(s)
            }
        }
        return c
    }
}
