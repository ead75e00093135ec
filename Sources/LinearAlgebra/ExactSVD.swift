/// Exact truncated SVD through the Gram matrix of the smaller side, in double precision — the
/// method the reference values in `singular-values.json` were computed with ("float64
/// eigenvalues of the Gram matrix"). Cost: `Σ_j nnz(column j)²` (or per row) multiply-adds for
/// the Gram matrix, `O(s³)` for `dsyevr` with `s = min(n, m)`; use it for `s` up to a few
/// thousand. Accuracy: `σ_i = √λ_i` with relative error ≈ `u_double·σ₁²/σ_i²`.
enum ExactSVD {
    static func fit(_ a: CSRMatrix, rank: Int) throws -> TruncatedSVD {
        let n = a.rows, m = a.columns
        let k = min(rank, n, m)
        let byRows = n <= m  // Gram of the documents (n × n) when n ≤ m
        let s = byRows ? n : m
        // Pairs of entries that share the other index: columns of A for A·Aᵀ, rows for Aᵀ·A.
        let lists = byRows ? a.transposed() : a
        var gram = [Double](repeating: 0, count: s * s)
        for list in 0..<lists.rows {
            let lo = lists.rowPointers[list], hi = lists.rowPointers[list + 1]
            for p in lo..<hi {
                let i = Int(lists.columnIndices[p]), vi = Double(lists.values[p])
                for r in p..<hi {
                    // Row-major upper triangle (i ≤ j) == column-major lower triangle.
                    gram[i * s + Int(lists.columnIndices[r])] += vi * Double(lists.values[r])
                }
            }
        }
        let (lambda, vectors) = try LAPACK.symmetricTopEigen(gram, n: s, count: k)
        let sigma = lambda.map { Float(max(0, $0).squareRoot()) }
        let found = sigma.count
        var known = DenseMatrix(rows: s, columns: found, values: vectors.map { Float($0) })
        // Other side: Aᵀ·u_i / σ_i (or A·v_i / σ_i), as rows.
        let other = byRows ? try a.transposeMultiplied(by: known) : try a.multiplied(by: known)
        var otherT = other.transposed()  // found × (m or n)
        let width = otherT.columns
        for i in 0..<found {
            let scale: Float = sigma[i] > sigma[0] * 1e-6 ? 1 / sigma[i] : 0
            for j in 0..<width { otherT.values[i * width + j] *= scale }
        }
        if byRows {
            return TruncatedSVD(u: known, singularValues: sigma, vt: otherT, of: a)
        } else {
            known = known.transposed()
            return TruncatedSVD(u: otherT.transposed(), singularValues: sigma, vt: known, of: a)
        }
    }
}
