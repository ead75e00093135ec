import Foundation
import LinearAlgebra

/// L2-regularized logistic regression fitted by Newton's method (iteratively reweighted least
/// squares; e.g. Hastie, Tibshirani & Friedman, *Elements of Statistical Learning*, §4.4.1):
///
///     L(β) = (1/W) Σ_i w_i·[log(1 + e^{η_i}) − y_i·η_i] + (λ/2) Σ_{j penalized} β_j²,   η = Xβ
///     g = (1/W) Xᵀ W (p − y) + λ·β_pen,   H = (1/W) Xᵀ diag(w·p(1 − p)) X + λ·I_pen + 1e-8·I
///     β ← β − t·H⁻¹g, t halved until L decreases (at most 30 halvings)
///
/// p = σ(η), w_i the row weights (1 when none), W = Σ w_i. Unpenalized columns (intercept, position offsets) get the 1e-8 ridge only, which
/// keeps H positive definite when a column is all zero. η, g and L are accumulated in Double;
/// H by one sgemm of the √w-scaled design (BLAS on one thread, so the result does not depend
/// on the machine's thread count), then solved by Cholesky in Double. Stops when the Newton
/// decrement gᵀH⁻¹g / 2 falls below `tolerance`. Deterministic.
struct LogisticRegression {
    struct Configuration {
        var regularization: Double
        var maxIterations = 50
        var tolerance = 1e-10
    }

    struct Fit {
        var coefficients: [Double]
        var iterations: Int
        var loss: Double
    }

    /// `x`: n × P design (row-major Float); `y`: 0/1 labels; `penalized[j]`: whether β_j is
    /// penalized; `start`: initial coefficients (warm start); `fixed`: coefficients held at the
    /// given values (their rows and columns of the Newton system are the identity).
    static func fit(x: DenseMatrix, y: [Float], weights rowWeights: [Float]? = nil, penalized: [Bool], configuration c: Configuration,
                    start: [Double]? = nil, fixed: [Int: Double] = [:]) throws -> Fit {
        let n = x.rows, p = x.columns
        precondition(y.count == n && penalized.count == p && (rowWeights?.count ?? n) == n)
        let rw = rowWeights ?? [Float](repeating: 1, count: n)
        let total = rw.reduce(0.0) { $0 + Double($1) }
        var beta = start ?? [Double](repeating: 0, count: p)
        for (j, v) in fixed { beta[j] = v }
        var eta = [Double](repeating: 0, count: n)
        func linear(_ b: [Double]) {
            x.values.withUnsafeBufferPointer { xv in
                for i in 0..<n {
                    var s = 0.0
                    let base = i * p
                    for j in 0..<p { s += Double(xv[base + j]) * b[j] }
                    eta[i] = s
                }
            }
        }
        func loss(_ b: [Double]) -> Double {
            var s = 0.0
            for i in 0..<n { s += Double(rw[i]) * (softplus(eta[i]) - Double(y[i]) * eta[i]) }
            var r = 0.0
            for j in 0..<p where penalized[j] { r += b[j] * b[j] }
            return (total > 0 ? s / total : 0) + c.regularization / 2 * r
        }
        linear(beta)
        var current = loss(beta)
        var iterations = 0
        var z = DenseMatrix(zeros: n, p)
        var h = DenseMatrix(zeros: p, p)
        while iterations < c.maxIterations {
            iterations += 1
            var g = [Double](repeating: 0, count: p)
            x.values.withUnsafeBufferPointer { xv in
                z.values.withUnsafeMutableBufferPointer { zv in
                    for i in 0..<n {
                        let pi = sigmoid(eta[i])
                        let r = Double(rw[i]) * (pi - Double(y[i]))
                        let w = Float((Double(rw[i]) * pi * (1 - pi)).squareRoot())
                        let base = i * p
                        for j in 0..<p {
                            g[j] += r * Double(xv[base + j])
                            zv[base + j] = xv[base + j] * w
                        }
                    }
                }
            }
            let inv = total > 0 ? 1 / total : 0
            for j in 0..<p { g[j] = g[j] * inv + (penalized[j] ? c.regularization * beta[j] : 0) }
            try BLAS.withThreads(1) { try BLAS.gemm(z, transposeA: true, z, alpha: Float(inv), into: &h) }
            var hessian = h.values.map(Double.init)
            for j in 0..<p { hessian[j * p + j] += (penalized[j] ? c.regularization : 0) + 1e-8 }
            for j in fixed.keys {
                g[j] = 0
                for k in 0..<p {
                    hessian[j * p + k] = 0
                    hessian[k * p + j] = 0
                }
                hessian[j * p + j] = 1
            }
            guard let step = choleskySolve(hessian, n: p, rhs: g) else {
                throw RankingError.learning("the Newton system is not positive definite (a feature is not finite or the data are degenerate)")
            }
            var decrement = 0.0
            for j in 0..<p { decrement += g[j] * step[j] }
            if decrement / 2 < c.tolerance { break }
            var t = 1.0
            var accepted = false
            for _ in 0..<30 {
                let trial = (0..<p).map { beta[$0] - t * step[$0] }
                linear(trial)
                let l = loss(trial)
                if l <= current {
                    beta = trial
                    current = l
                    accepted = true
                    break
                }
                t /= 2
            }
            if !accepted {
                linear(beta)
                break
            }
        }
        guard beta.allSatisfy(\.isFinite) else { throw RankingError.learning("the fit diverged (coefficients not finite)") }
        return Fit(coefficients: beta, iterations: iterations, loss: current)
    }

    @inline(__always) static func sigmoid(_ t: Double) -> Double { t >= 0 ? 1 / (1 + exp(-t)) : exp(t) / (1 + exp(t)) }
    /// log(1 + e^t) without overflow.
    @inline(__always) static func softplus(_ t: Double) -> Double { t > 0 ? t + log1p(exp(-t)) : log1p(exp(t)) }

    /// Solves A·x = b for a symmetric positive definite n × n A (row-major) by Cholesky; nil when
    /// A is not positive definite.
    static func choleskySolve(_ a: [Double], n: Int, rhs b: [Double]) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }
}
