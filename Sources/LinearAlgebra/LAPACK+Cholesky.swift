import CLAPACKE

extension LAPACK {
    /// Solves `A·x = b` for a symmetric positive definite `n × n` matrix `A` by Cholesky
    /// factorization (`dposv`: `A = Uᵀ·U`, then two triangular solves), in double precision.
    ///
    /// `a` is row-major `n × n`; only the entries `a[i·n + j]` with `j ≤ i` (the row-major lower
    /// triangle, which is LAPACK's column-major upper triangle, `uplo = 'U'`) are read, so a caller
    /// that builds a symmetric matrix may fill that triangle only. On return `a` holds the factor
    /// (overwritten) and `b` the solution `x`. Both are caller-owned buffers so a loop of solves
    /// (one per row of an alternating-least-squares step) allocates nothing.
    ///
    /// Throws `LinearAlgebraError.lapack(routine: "dposv", info: k)` with `k > 0` when the leading
    /// minor of order `k` is not positive definite (`A` singular or indefinite, or NaN in it), and
    /// `.shapeMismatch` when the buffers do not have `n·n` and `n` entries.
    public static func solvePositiveDefinite(_ a: inout [Double], _ b: inout [Double], n: Int) throws {
        guard n >= 0, a.count == n * n, b.count == n else {
            throw LinearAlgebraError.shapeMismatch("solvePositiveDefinite: A has \(a.count) entries, b \(b.count), n = \(n)")
        }
        try checkSize(n)
        if n == 0 { return }
        try check("dposv", LAPACKE_dposv_work(LAPACK_COL_MAJOR, char("U"), Int32(n), 1, &a, Int32(n), &b, Int32(n)))
    }

    /// `A⁻¹·b` for a symmetric positive definite `A` (every entry given), computed in double by
    /// `solvePositiveDefinite(_:_:n:)` and returned in single precision.
    public static func solvePositiveDefinite(_ a: DenseMatrix, _ b: [Float]) throws -> [Float] {
        guard a.rows == a.columns, b.count == a.rows else {
            throw LinearAlgebraError.shapeMismatch("solvePositiveDefinite: A is \(a.rows)x\(a.columns), b has \(b.count)")
        }
        var ad = a.values.map(Double.init), bd = b.map(Double.init)
        try solvePositiveDefinite(&ad, &bd, n: a.rows)
        return bd.map(Float.init)
    }
}
