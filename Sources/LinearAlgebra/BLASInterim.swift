// INTERIM: replaced when the linalg branch lands (same API).
import CBLAS

public enum BLAS {
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(clamping: max(1, newValue))) }
    }

    public static func gemm(_ a: DenseMatrix, transposeA: Bool = false, _ b: DenseMatrix, transposeB: Bool = false, alpha: Float = 1) throws -> DenseMatrix {
        let (m, ka) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        guard ka == kb else { throw LinearAlgebraError.shapeMismatch("gemm \(m)x\(ka) by \(kb)x\(n)") }
        var c = DenseMatrix(zeros: m, n)
        if m == 0 || n == 0 || ka == 0 { return c }
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                c.values.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(ka), alpha, pa.baseAddress, Int32(max(1, a.columns)),
                                pb.baseAddress, Int32(max(1, b.columns)), 0, pc.baseAddress, Int32(max(1, n)))
                }
            }
        }
        return c
    }
}
