import Dispatch
import Foundation
import LinearAlgebra

/// The least-squares steps of `ImplicitALSConfiguration` (formulas there).
enum ALSSolver {
    /// `AᵀA` in double, row-major `f × f` (one sgemm).
    static func gram(_ a: DenseMatrix) throws -> [Double] {
        try BLAS.gemm(a, transposeA: true, a).values.map(Double.init)
    }

    /// One half-step: for each row `r` of `ratings` (rows × others, values `r_ui`), the factors
    /// minimizing the loss with `other` (others × f) fixed. Parallel over fixed chunks of rows,
    /// OpenBLAS at one thread meanwhile (so the two thread pools do not oversubscribe).
    static func solveRows(_ ratings: CSRMatrix, other: DenseMatrix, lambda: Double, alpha: Double) throws -> DenseMatrix {
        let f = other.columns, rows = ratings.rows
        var g = try gram(other)
        for d in 0..<f { g[d * f + d] += lambda }
        let gram = g
        var out = DenseMatrix(zeros: rows, f)
        let failure = FirstError()
        let previousThreads = BLAS.threads
        if previousThreads != 1 { BLAS.threads = 1 }
        defer { if previousThreads != 1 { BLAS.threads = previousThreads } }
        let chunks = max(1, min(rows, 128))
        out.values.withUnsafeMutableBufferPointer { raw in
            let target = SendableBuffer(raw)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var a = [Double](repeating: 0, count: f * f), b = [Double](repeating: 0, count: f)
                for r in (rows * c / chunks)..<(rows * (c + 1) / chunks) {
                    let start = ratings.rowPointers[r], end = ratings.rowPointers[r + 1]
                    if start == end { continue }
                    do {
                        try normalEquations(ratings, row: r, other: other, gram: gram, alpha: alpha, a: &a, b: &b)
                        try LAPACK.solvePositiveDefinite(&a, &b, n: f)
                        for d in 0..<f { target.value[r * f + d] = Float(b[d]) }
                    } catch {
                        failure.set(error)
                        return
                    }
                }
            }
        }
        if let e = failure.error { throw e }
        return out
    }

    /// Fills the lower triangle of `a = gram + α Σ_p r_p y_p y_pᵀ` and `b = Σ_p (1 + α r_p) y_p`
    /// over the non-zeros `p` of row `r` (`gram` already holds `YᵀY + λI`).
    static func normalEquations(_ ratings: CSRMatrix, row r: Int, other: DenseMatrix, gram: [Double], alpha: Double,
                                a: inout [Double], b: inout [Double]) throws {
        let f = other.columns
        for d in 0..<(f * f) { a[d] = gram[d] }
        for d in 0..<f { b[d] = 0 }
        for p in ratings.rowPointers[r]..<ratings.rowPointers[r + 1] {
            let j = Int(ratings.columnIndices[p]), rating = Double(ratings.values[p])
            guard j >= 0 && j < other.rows else {
                throw CollaborativeError.shapeMismatch("index \(j) outside the other side's 0..<\(other.rows) rows")
            }
            let w = alpha * rating, base = j * f
            other.values.withUnsafeBufferPointer { y in
                for i in 0..<f {
                    let yi = Double(y[base + i])
                    b[i] += (1 + w) * yi
                    let wyi = w * yi
                    for k in 0...i { a[i * f + k] += wyi * Double(y[base + k]) }
                }
            }
        }
    }

    /// A fold-in: one row of a half-step for the given `indices` (ratings 1) of `other`.
    static func foldIn(_ indices: [Int], other: DenseMatrix, gram: [Double], lambda: Double, alpha: Double,
                       side: String) throws -> [Float] {
        let f = other.columns
        for j in indices where j < 0 || j >= other.rows {
            throw CollaborativeError.shapeMismatch("fold-in: \(side) \(j) outside the model's 0..<\(other.rows)")
        }
        let sorted = Array(Set(indices)).sorted()
        if sorted.isEmpty { return [Float](repeating: 0, count: f) }
        let row = CSRMatrix(unchecked: 1, columns: other.rows, rowPointers: [0, sorted.count],
                            columnIndices: sorted.map { Int32($0) }, values: [Float](repeating: 1, count: sorted.count))
        var g = gram
        for d in 0..<f { g[d * f + d] += lambda }
        var a = [Double](repeating: 0, count: f * f), b = [Double](repeating: 0, count: f)
        try normalEquations(row, row: 0, other: other, gram: g, alpha: alpha, a: &a, b: &b)
        try LAPACK.solvePositiveDefinite(&a, &b, n: f)
        return b.map(Float.init)
    }

    /// `L = Σ_obs [c(1 − s)² − s²] + Σ_ab (XᵀX)_ab (YᵀY)_ab + λ(‖X‖² + ‖Y‖²)` with `s = x_uᵀy_i`,
    /// `c = 1 + α r`: the full sum over all user–item pairs without visiting the unobserved ones.
    static func loss(_ x: InteractionMatrix, users: DenseMatrix, items: DenseMatrix, lambda: Double, alpha: Double) throws -> Double {
        let f = users.columns
        let gu = try gram(users), gi = try gram(items)
        var total = 0.0
        for d in 0..<(f * f) { total += gu[d] * gi[d] }
        var norms = 0.0
        for v in users.values { norms += Double(v) * Double(v) }
        for v in items.values { norms += Double(v) * Double(v) }
        total += lambda * norms
        let m = x.byUser
        for u in 0..<m.rows {
            for p in m.rowPointers[u]..<m.rowPointers[u + 1] {
                let i = Int(m.columnIndices[p])
                var s = 0.0
                for d in 0..<f { s += Double(users.values[u * f + d]) * Double(items.values[i * f + d]) }
                let c = 1 + alpha * Double(m.values[p])
                total += c * (1 - s) * (1 - s) - s * s
            }
        }
        return total
    }
}

/// A raw buffer written by `concurrentPerform` workers at disjoint indices.
struct SendableBuffer<T>: @unchecked Sendable {
    let value: UnsafeMutableBufferPointer<T>
    init(_ value: UnsafeMutableBufferPointer<T>) { self.value = value }
}

/// The first error thrown by any worker.
final class FirstError: @unchecked Sendable {
    private var stored: Error?
    private let lock = NSLock()
    func set(_ e: Error) { lock.lock(); if stored == nil { stored = e }; lock.unlock() }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return stored }
}
