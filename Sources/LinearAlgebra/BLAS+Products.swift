import CBLAS

/// Thin, safe wrappers over OpenBLAS's CBLAS interface. Every matrix is a row-major
/// `DenseMatrix`; shapes are checked and a mismatch throws `LinearAlgebraError.shapeMismatch`
/// (BLAS itself would read out of bounds). No raw pointer leaves this module.
public enum BLAS {
    /// OpenBLAS's worker-thread count (`openblas_get_num_threads` / `openblas_set_num_threads`).
    /// Set it to 1 when the caller parallelizes over independent problems itself (for example the
    /// batch ranker, one reader per thread), so the two thread pools do not oversubscribe the cores.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(clamping: max(1, newValue))) }
    }

    /// General matrix product `C ← α·op(A)·op(B) + β·C` (`cblas_sgemm`), where `op(X)` is `X` or
    /// `Xᵀ` as the flags say. `C` must already have the shape of `op(A)·op(B)`; with `β = 0` its
    /// old contents are ignored (and may be anything, even NaN).
    public static func gemm(
        _ a: DenseMatrix, transposeA: Bool = false, _ b: DenseMatrix, transposeB: Bool = false,
        alpha: Float = 1, beta: Float = 0, into c: inout DenseMatrix
    ) throws {
        let (m, ka) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        guard ka == kb, c.rows == m, c.columns == n else {
            throw LinearAlgebraError.shapeMismatch(
                "gemm: op(A) is \(m)x\(ka), op(B) is \(kb)x\(n), C is \(c.rows)x\(c.columns)")
        }
        try checkBlasSize(m, n, ka, a.columns, b.columns)
        if m == 0 || n == 0 { return }
        if ka == 0 {
            if beta == 0 {
                for i in c.values.indices { c.values[i] = 0 }
            } else {
                for i in c.values.indices { c.values[i] *= beta }
            }
            return
        }
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                c.values.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(
                        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(ka), alpha,
                        pa.baseAddress, Int32(max(1, a.columns)),
                        pb.baseAddress, Int32(max(1, b.columns)),
                        beta, pc.baseAddress, Int32(max(1, n)))
                }
            }
        }
    }

    /// `op(A)·op(B)` as a new matrix.
    public static func gemm(
        _ a: DenseMatrix, transposeA: Bool = false, _ b: DenseMatrix, transposeB: Bool = false,
        alpha: Float = 1
    ) throws -> DenseMatrix {
        var c = DenseMatrix(
            zeros: transposeA ? a.columns : a.rows, transposeB ? b.rows : b.columns)
        try gemm(a, transposeA: transposeA, b, transposeB: transposeB, alpha: alpha, beta: 0, into: &c)
        return c
    }

    /// Matrix–vector product `y ← α·op(A)·x + β·y` (`cblas_sgemv`).
    public static func gemv(
        _ a: DenseMatrix, transpose: Bool = false, _ x: [Float], alpha: Float = 1, beta: Float = 0,
        into y: inout [Float]
    ) throws {
        let (m, n) = transpose ? (a.columns, a.rows) : (a.rows, a.columns)
        guard x.count == n, y.count == m else {
            throw LinearAlgebraError.shapeMismatch(
                "gemv: op(A) is \(m)x\(n), x has \(x.count), y has \(y.count)")
        }
        try checkBlasSize(m, n, a.columns)
        if m == 0 { return }
        if n == 0 {
            for i in y.indices { y[i] = beta == 0 ? 0 : y[i] * beta }
            return
        }
        a.values.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_sgemv(
                        CblasRowMajor, transpose ? CblasTrans : CblasNoTrans,
                        Int32(a.rows), Int32(a.columns), alpha, pa.baseAddress,
                        Int32(max(1, a.columns)), px.baseAddress, 1, beta, py.baseAddress, 1)
                }
            }
        }
    }

    /// `op(A)·x` as a new vector.
    public static func gemv(_ a: DenseMatrix, transpose: Bool = false, _ x: [Float]) throws -> [Float] {
        var y = [Float](repeating: 0, count: transpose ? a.columns : a.rows)
        try gemv(a, transpose: transpose, x, into: &y)
        return y
    }

    /// `xᵀy` (`cblas_sdot`).
    public static func dot(_ x: [Float], _ y: [Float]) throws -> Float {
        guard x.count == y.count else {
            throw LinearAlgebraError.shapeMismatch("dot: lengths \(x.count) and \(y.count)")
        }
        try checkBlasSize(x.count)
        return x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                cblas_sdot(Int32(x.count), px.baseAddress, 1, py.baseAddress, 1)
            }
        }
    }

    /// `y ← α·x + y` (`cblas_saxpy`).
    public static func axpy(_ alpha: Float, _ x: [Float], _ y: inout [Float]) throws {
        guard x.count == y.count else {
            throw LinearAlgebraError.shapeMismatch("axpy: lengths \(x.count) and \(y.count)")
        }
        try checkBlasSize(x.count)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                cblas_saxpy(Int32(px.count), alpha, px.baseAddress, 1, py.baseAddress, 1)
            }
        }
    }

    /// `x ← α·x` (`cblas_sscal`).
    public static func scal(_ alpha: Float, _ x: inout [Float]) {
        precondition(x.count <= Int(Int32.max), "scal: vector too long for 32-bit BLAS")
        x.withUnsafeMutableBufferPointer { px in
            cblas_sscal(Int32(px.count), alpha, px.baseAddress, 1)
        }
    }

    /// Euclidean norm `‖x‖₂` (`cblas_snrm2`, scaled to avoid overflow).
    public static func nrm2(_ x: [Float]) -> Float {
        precondition(x.count <= Int(Int32.max), "nrm2: vector too long for 32-bit BLAS")
        return x.withUnsafeBufferPointer { px in cblas_snrm2(Int32(px.count), px.baseAddress, 1) }
    }

    /// OpenBLAS here uses 32-bit integers (`blasint`): refuse larger dimensions instead of wrapping.
    static func checkBlasSize(_ sizes: Int...) throws {
        for s in sizes where s > Int(Int32.max) {
            throw LinearAlgebraError.shapeMismatch("dimension \(s) exceeds the 32-bit BLAS interface")
        }
    }
}

extension DenseMatrix {
    /// The `n × n` identity.
    public static func identity(_ n: Int) -> DenseMatrix {
        var m = DenseMatrix(zeros: n, n)
        for i in 0..<n { m.values[i * n + i] = 1 }
        return m
    }

    /// The transpose, as a new row-major matrix.
    public func transposed() -> DenseMatrix {
        var t = DenseMatrix(zeros: columns, rows)
        values.withUnsafeBufferPointer { src in
            t.values.withUnsafeMutableBufferPointer { dst in
                // Tiled to keep both sides in cache.
                let tile = 32
                var i0 = 0
                while i0 < rows {
                    let i1 = min(i0 + tile, rows)
                    var j0 = 0
                    while j0 < columns {
                        let j1 = min(j0 + tile, columns)
                        for i in i0..<i1 {
                            for j in j0..<j1 { dst[j * rows + i] = src[i * columns + j] }
                        }
                        j0 = j1
                    }
                    i0 = i1
                }
            }
        }
        return t
    }

    /// Columns `range` of every row, as a new `rows × range.count` matrix.
    public func columns(_ range: Range<Int>) -> DenseMatrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns, "column range out of bounds")
        var out = DenseMatrix(zeros: rows, range.count)
        for i in 0..<rows {
            for (k, j) in range.enumerated() { out.values[i * range.count + k] = values[i * columns + j] }
        }
        return out
    }

    /// Rows `range`, as a new `range.count × columns` matrix.
    public func rows(_ range: Range<Int>) -> DenseMatrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "row range out of bounds")
        return DenseMatrix(
            rows: range.count, columns: columns,
            values: Array(values[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }
}
