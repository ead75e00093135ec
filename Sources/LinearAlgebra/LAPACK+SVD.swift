import CLAPACKE

/// The thin singular value decomposition `A = U·diag(s)·Vᵀ` of a dense matrix.
public struct DenseSVD: Sendable, Equatable {
    /// `n × r` with orthonormal columns, `r = min(n, m)`.
    public let u: DenseMatrix
    /// `r` singular values, non-increasing, non-negative.
    public let singularValues: [Float]
    /// `r × m` with orthonormal rows.
    public let vt: DenseMatrix
}

extension LAPACK {
    /// Thin SVD of a dense `n × m` matrix by `sgesdd` (divide and conquer, `jobz = 'S'`), falling
    /// back to `sgesvd` (QR iteration) when `sgesdd` reports non-convergence (`info > 0`). Both are
    /// called with the `lwork = -1` workspace query first.
    ///
    /// Layout: the row-major `n × m` buffer *is* the column-major `m × n` matrix `Aᵀ`, so we
    /// factor `Aᵀ = U'·S·V'ᵀ` without copying, and then `A = V'·S·U'ᵀ`. LAPACK's column-major
    /// `V'ᵀ` (`r × n`, ld `r`) read row-major is `V'` (`n × r`) = our `U`, and its column-major
    /// `U'` (`m × r`, ld `m`) read row-major is `U'ᵀ` (`r × m`) = our `Vᵀ`.
    ///
    /// Throws `.lapack(routine: "sgesdd", info: -4)` for NaN input (LAPACK checks the norm),
    /// `.lapack(routine: "sgesvd", info:)` if the fallback also fails.
    public static func svd(_ a: DenseMatrix) throws -> DenseSVD {
        let n = a.rows, m = a.columns, r = min(n, m)
        try checkSize(n, m)
        if r == 0 {
            return DenseSVD(u: DenseMatrix(zeros: n, 0), singularValues: [], vt: DenseMatrix(zeros: 0, m))
        }
        // Column-major view: M = m rows, N = n columns, lda = m.
        let rowsCM = Int32(m), colsCM = Int32(n)
        var s = [Float](repeating: 0, count: r)
        var uCM = [Float](repeating: 0, count: m * r)  // U' (m × r), ld m
        var vtCM = [Float](repeating: 0, count: r * n)  // V'ᵀ (r × n), ld r
        var work = a.values
        var iwork = [Int32](repeating: 0, count: 8 * r)
        var query: Float = 0
        try check("sgesdd", LAPACKE_sgesdd_work(
            LAPACK_COL_MAJOR, char("S"), rowsCM, colsCM, &work, rowsCM, &s, &uCM, rowsCM, &vtCM, Int32(r),
            &query, -1, &iwork))
        var workspace = [Float](repeating: 0, count: max(1, Int(query)))
        let info = LAPACKE_sgesdd_work(
            LAPACK_COL_MAJOR, char("S"), rowsCM, colsCM, &work, rowsCM, &s, &uCM, rowsCM, &vtCM, Int32(r),
            &workspace, Int32(workspace.count), &iwork)
        if info > 0 {
            // Divide and conquer did not converge: retry with the QR-iteration driver.
            work = a.values
            try check("sgesvd", LAPACKE_sgesvd_work(
                LAPACK_COL_MAJOR, char("S"), char("S"), rowsCM, colsCM, &work, rowsCM, &s, &uCM, rowsCM,
                &vtCM, Int32(r), &query, -1))
            workspace = [Float](repeating: 0, count: max(1, Int(query)))
            try check("sgesvd", LAPACKE_sgesvd_work(
                LAPACK_COL_MAJOR, char("S"), char("S"), rowsCM, colsCM, &work, rowsCM, &s, &uCM, rowsCM,
                &vtCM, Int32(r), &workspace, Int32(workspace.count)))
        } else {
            try check("sgesdd", info)
        }
        return DenseSVD(
            u: DenseMatrix(rows: n, columns: r, values: vtCM), singularValues: s,
            vt: DenseMatrix(rows: r, columns: m, values: uCM))
    }

    /// The `count` largest eigenpairs of a symmetric `n × n` matrix in double precision
    /// (`dsyevr`, `range = 'I'`, with workspace query). Only the lower triangle of the
    /// column-major view is read (equivalently the upper triangle of the row-major matrix).
    /// Returns eigenvalues in decreasing order and the matching eigenvectors as the columns of a
    /// row-major `n × count` array.
    static func symmetricTopEigen(_ g: [Double], n: Int, count: Int) throws -> (values: [Double], vectors: [Double]) {
        precondition(g.count == n * n && count <= n)
        try checkSize(n)
        if count == 0 || n == 0 { return ([], []) }
        var a = g
        var found: Int32 = 0
        var w = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: n * count)  // column-major n × count, ld n
        var isuppz = [Int32](repeating: 0, count: 2 * max(1, count))
        var q: Double = 0
        var iq: Int32 = 0
        let il = Int32(n - count + 1), iu = Int32(n)
        try check("dsyevr", LAPACKE_dsyevr_work(
            LAPACK_COL_MAJOR, char("V"), char("I"), char("L"), Int32(n), &a, Int32(n), 0, 0, il, iu, 0,
            &found, &w, &z, Int32(n), &isuppz, &q, -1, &iq, -1))
        var work = [Double](repeating: 0, count: max(1, Int(q)))
        var iwork = [Int32](repeating: 0, count: max(1, Int(iq)))
        try check("dsyevr", LAPACKE_dsyevr_work(
            LAPACK_COL_MAJOR, char("V"), char("I"), char("L"), Int32(n), &a, Int32(n), 0, 0, il, iu, 0,
            &found, &w, &z, Int32(n), &isuppz, &work, Int32(work.count), &iwork, Int32(iwork.count)))
        let got = Int(found)
        // Ascending order out of LAPACK; reverse into decreasing order and row-major layout.
        var values = [Double](repeating: 0, count: got)
        var vectors = [Double](repeating: 0, count: n * got)
        for j in 0..<got {
            let src = got - 1 - j
            values[j] = w[src]
            for i in 0..<n { vectors[i * got + j] = z[i + src * n] }
        }
        return (values, vectors)
    }
}
