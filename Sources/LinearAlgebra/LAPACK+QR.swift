import CBLAS
import CLAPACKE

/// Thin, safe wrappers over LAPACKE (the `_work` variants, so workspace is ours and no NaN
/// pre-check or hidden transpose happens). LAPACK is column-major; the conversions are explained
/// at each routine. Any `info != 0` becomes `LinearAlgebraError.lapack(routine:info:)`.
public enum LAPACK {
    @inline(__always) static func char(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }

    static func check(_ routine: String, _ info: Int32) throws {
        if info != 0 { throw LinearAlgebraError.lapack(routine: routine, info: Int(info)) }
    }

    static func checkSize(_ sizes: Int...) throws {
        for s in sizes where s > Int(Int32.max) {
            throw LinearAlgebraError.shapeMismatch("dimension \(s) exceeds the 32-bit LAPACK interface")
        }
    }

    /// Thin QR factorization `A = Q·R` of an `n × k` matrix (Householder: `sgeqrf`, then `sorgqr`
    /// to form `Q`; each with the `lwork = -1` workspace query first).
    ///
    /// Returns `Q` (`n × r`, orthonormal columns) and `R` (`r × k`, upper triangular), with
    /// `r = min(n, k)`. Row-major input is copied to column-major for LAPACK and back.
    public static func thinQR(_ a: DenseMatrix) throws -> (q: DenseMatrix, r: DenseMatrix) {
        let n = a.rows, k = a.columns, r = min(n, k)
        try checkSize(n, k)
        if r == 0 { return (DenseMatrix(zeros: n, 0), DenseMatrix(zeros: 0, k)) }
        // Column-major n×k with lda = n is exactly the row-major k×n transpose.
        var colMajor = a.transposed().values
        var tau = [Float](repeating: 0, count: r)
        var query: Float = 0
        try check("sgeqrf", LAPACKE_sgeqrf_work(LAPACK_COL_MAJOR, Int32(n), Int32(k), &colMajor, Int32(n), &tau, &query, -1))
        var work = [Float](repeating: 0, count: max(1, Int(query)))
        try check("sgeqrf", LAPACKE_sgeqrf_work(LAPACK_COL_MAJOR, Int32(n), Int32(k), &colMajor, Int32(n), &tau, &work, Int32(work.count)))
        // R: upper triangle of the first r rows (column-major element (i, j) at i + j*n).
        var rMatrix = DenseMatrix(zeros: r, k)
        for i in 0..<r {
            for j in i..<k { rMatrix.values[i * k + j] = colMajor[i + j * n] }
        }
        try check("sorgqr", LAPACKE_sorgqr_work(LAPACK_COL_MAJOR, Int32(n), Int32(r), Int32(r), &colMajor, Int32(n), &tau, &query, -1))
        if Int(query) > work.count { work = [Float](repeating: 0, count: Int(query)) }
        try check("sorgqr", LAPACKE_sorgqr_work(LAPACK_COL_MAJOR, Int32(n), Int32(r), Int32(r), &colMajor, Int32(n), &tau, &work, Int32(work.count)))
        // The first r columns (column-major, lda n) are the row-major r×n matrix Qᵀ.
        let qT = DenseMatrix(rows: r, columns: n, values: Array(colMajor[0..<(r * n)]))
        return (qT.transposed(), rMatrix)
    }

    /// Replaces the `n × k` matrix `y` (`n ≥ k`) by an orthonormal basis of its column space:
    /// Cholesky QR (`G = YᵀY` by `ssyrk`, `G = RᵀR` by `dpotrf` in double, `Y ← Y·R⁻¹` by `strsm`),
    /// repeated `passes` times ("CholeskyQR2" with 2 passes: Yamamoto, Nakatsukasa, Yanagisawa &
    /// Fukaya, ETNA 44, 2015; one pass leaves ‖QᵀQ − I‖ ≈ u·κ(Y)², the second pass fixes that).
    /// Cost `2·n·k²` flops per pass, all in level-3 BLAS, versus about `4·n·k²` for Householder.
    /// If the Gram matrix is not numerically positive definite (rank-deficient `Y`), falls back
    /// to Householder `thinQR`. Returns `R` with `Y_in = Q·R` (upper triangular, `k × k`).
    @discardableResult
    static func orthonormalize(_ y: inout DenseMatrix, passes: Int = 1) throws -> DenseMatrix {
        let n = y.rows, k = y.columns
        precondition(n >= k, "orthonormalize needs a tall matrix")
        try checkSize(n, k)
        var rTotal = DenseMatrix.identity(k)
        if k == 0 { return rTotal }
        var gram = [Float](repeating: 0, count: k * k)
        var gramD = [Double](repeating: 0, count: k * k)
        var rF = [Float](repeating: 0, count: k * k)
        for _ in 0..<max(1, passes) {
            y.values.withUnsafeBufferPointer { py in
                cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(k), Int32(n), 1, py.baseAddress, Int32(k), 0, &gram, Int32(k))
            }
            // Row-major upper triangle == column-major lower triangle.
            for i in 0..<(k * k) { gramD[i] = Double(gram[i]) }
            let info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, char("L"), Int32(k), &gramD, Int32(k))
            var diagMin = Double.infinity, diagMax = 0.0
            if info == 0 {
                for i in 0..<k { diagMin = min(diagMin, gramD[i * k + i]); diagMax = max(diagMax, gramD[i * k + i]) }
            }
            // κ(Y) ≳ 1/ratio of R's diagonal; beyond ~1e3 single-precision Cholesky QR loses
            // orthogonality (u·κ² ≈ 0.06), so take the Householder path instead.
            if info > 0 || !(diagMin > 1e-3 * diagMax) {
                // Not positive definite: rank-deficient or too ill-conditioned for Cholesky QR.
                let (q, r) = try thinQR(y)
                y = q
                return try BLAS.gemm(r, rTotal)
            }
            try check("dpotrf", info)
            // Column-major L is row-major Lᵀ = R (upper); zero the strictly lower part.
            for i in 0..<k {
                for j in 0..<k { rF[i * k + j] = j >= i ? Float(gramD[i * k + j]) : 0 }
            }
            y.values.withUnsafeMutableBufferPointer { py in
                cblas_strsm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(n), Int32(k), 1, rF, Int32(k), py.baseAddress, Int32(k))
            }
            rTotal = try BLAS.gemm(DenseMatrix(rows: k, columns: k, values: rF), rTotal)
        }
        return rTotal
    }
}
