/// The result of a truncated SVD `A ≈ U·diag(σ)·Vᵀ` of an `n × m` sparse matrix (documents ×
/// terms), keeping `k` components. Immutable; produced by `RandomizedSVD.fit`.
///
/// Sign convention (for reproducibility across runs and machines): each component is flipped so
/// that the entry of largest absolute value in its row of `Vᵀ` is positive (the first such entry
/// on ties), and the same flip is applied to the column of `U`. This is scikit-learn's
/// `svd_flip(u, v, u_based_decision=False)`, which `TruncatedSVD` uses.
///
/// Explained variance, as scikit-learn's `TruncatedSVD.explained_variance_` and
/// `explained_variance_ratio_` (population variances, divisor `n`, no centring of `A`):
/// the embedding column `x_i = A·v_i = σ_i·u_i` has variance `var(x_i) = mean(x_i²) − mean(x_i)²`
/// over the `n` documents; the total is `Σ_j var(A[:, j]) = Σ_j (Σ_r a_rj²/n − (Σ_r a_rj/n)²)`,
/// computed from the sparse matrix in double; the ratio is `var(x_i) / total`.
public struct TruncatedSVD: Sendable, Equatable {
    /// `n × k`, orthonormal columns (left singular vectors).
    public let u: DenseMatrix
    /// `k` singular values, non-increasing.
    public let singularValues: [Float]
    /// `k × m`, orthonormal rows (right singular vectors, one per row).
    public let vt: DenseMatrix
    /// Variance over documents of each embedding column `A·v_i` (scikit-learn's `explained_variance_`).
    public let explainedVariance: [Float]
    /// `explainedVariance[i]` divided by the total variance of `A` (`explained_variance_ratio_`).
    public let explainedVarianceRatio: [Float]

    public var rank: Int { singularValues.count }

    /// Applies the sign rule and computes the variances; `u`, `s`, `vt` are the raw factors of `a`.
    init(u rawU: DenseMatrix, singularValues s: [Float], vt rawVt: DenseMatrix, of a: CSRMatrix) {
        var u = rawU, vt = rawVt
        let k = s.count, n = u.rows, m = vt.columns
        precondition(u.columns == k && vt.rows == k)
        for i in 0..<k {
            var best: Float = 0, bestAbs: Float = -1
            for j in 0..<m {
                let v = vt.values[i * m + j]
                if abs(v) > bestAbs { bestAbs = abs(v); best = v }
            }
            if best < 0 {
                for j in 0..<m { vt.values[i * m + j] = -vt.values[i * m + j] }
                for r in 0..<n { u.values[r * k + i] = -u.values[r * k + i] }
            }
        }
        var variance = [Float](repeating: 0, count: k)
        if n > 0 {
            for i in 0..<k {
                var sum = 0.0, sumSquares = 0.0
                for r in 0..<n {
                    let x = Double(u.values[r * k + i]) * Double(s[i])
                    sum += x
                    sumSquares += x * x
                }
                let mean = sum / Double(n)
                variance[i] = Float(max(0, sumSquares / Double(n) - mean * mean))
            }
        }
        let total = TruncatedSVD.totalVariance(of: a)
        self.u = u
        self.singularValues = s
        self.vt = vt
        self.explainedVariance = variance
        self.explainedVarianceRatio = variance.map { total > 0 ? Float(Double($0) / total) : 0 }
    }

    /// `Σ_j var(A[:, j])` over the rows (population variance), from column sums and sums of squares.
    public static func totalVariance(of a: CSRMatrix) -> Double {
        guard a.rows > 0 else { return 0 }
        var sums = [Double](repeating: 0, count: a.columns)
        var squares = [Double](repeating: 0, count: a.columns)
        for p in 0..<a.values.count {
            let c = Int(a.columnIndices[p]), v = Double(a.values[p])
            sums[c] += v
            squares[c] += v * v
        }
        let n = Double(a.rows)
        var total = 0.0
        for j in 0..<a.columns {
            let mean = sums[j] / n
            total += max(0, squares[j] / n - mean * mean)
        }
        return total
    }

    /// The document embeddings `U·diag(σ)` = `A·V` (scikit-learn's `fit_transform` output), `n × k`.
    public func embedding() -> DenseMatrix {
        var e = u
        let k = rank
        for r in 0..<u.rows {
            for i in 0..<k { e.values[r * k + i] *= singularValues[i] }
        }
        return e
    }

    /// Projects new rows (same `m` terms) onto the components: `X·V`, `rows × k`
    /// (scikit-learn's `transform`).
    public func transform(_ x: CSRMatrix) throws -> DenseMatrix {
        guard x.columns == vt.columns else {
            throw LinearAlgebraError.shapeMismatch("transform: X has \(x.columns) columns, the model has \(vt.columns) terms")
        }
        return try x.multiplied(by: vt.transposed())
    }
}
