import Foundation
import LinearAlgebra
import PaperFeedCore

/// Implicit alternating least squares (Hu, Koren & Volinsky, "Collaborative Filtering for
/// Implicit Feedback Datasets", ICDM 2008).
///
/// With preference `p_ui = 1` for an observed pair (else 0) and confidence `c_ui = 1 + α·r_ui`
/// (`r_ui = 1` observed, else 0, so `c_ui = 1` for every unobserved pair), user factors `x_u`
/// and item factors `y_i` (`f` each) minimize
///
///     L = Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)
///
/// by alternating exact minimization: with the item factors `Y` fixed, each user's row is
///
///     x_u = (YᵀY + λI + α Σ_{i∈I_u} y_i y_iᵀ)⁻¹ · (1 + α) Σ_{i∈I_u} y_i
///
/// ("the YᵀY trick": `YᵀY` is one BLAS product per half-step, each row only adds its own
/// `|I_u|` observed items), solved by Cholesky (`LAPACK.solvePositiveDefinite`, double
/// precision), then the same for the items with `X` fixed. Each half-step can only lower `L`.
///
/// Order and seeding: the item factors start as N(0, `initialScale`²) draws from
/// `SeededGenerator(seed)` in row-major order; each iteration solves users, then items. So a
/// fitted item folds in (`foldInItem`) to exactly its factors; a fitted user folds in to its
/// factors up to the last item step's change. A user or item without interactions gets the
/// zero vector (its least-squares solution). Rows are solved in parallel chunks, each row by
/// one worker, so results do not depend on the thread count.
public struct ImplicitALSConfiguration: Sendable, Codable, Equatable {
    /// `f`, the number of factors (default 64).
    public var factors: Int
    /// `λ` (default 1).
    public var regularization: Double
    /// `α` of the confidence `1 + α·r` (default 40, the paper's choice).
    public var alpha: Double
    /// Full iterations (users then items), default 10.
    public var iterations: Int
    /// Seed of the initial item factors.
    public var seed: UInt64
    /// Standard deviation of the initial item factors (default 0.01).
    public var initialScale: Double

    public init(factors: Int = 64, regularization: Double = 1, alpha: Double = 40, iterations: Int = 10,
                seed: UInt64 = 1, initialScale: Double = 0.01) {
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.seed = seed
        self.initialScale = initialScale
    }

    func validate() throws {
        func fail(_ s: String) -> CollaborativeError { .invalidConfiguration("implicit ALS: \(s)") }
        guard factors >= 1 else { throw fail("factors must be ≥ 1, got \(factors)") }
        guard regularization > 0, regularization.isFinite else { throw fail("regularization must be > 0, got \(regularization)") }
        guard alpha >= 0, alpha.isFinite else { throw fail("alpha must be ≥ 0, got \(alpha)") }
        guard iterations >= 1 else { throw fail("iterations must be ≥ 1, got \(iterations)") }
        guard initialScale > 0, initialScale.isFinite else { throw fail("initial scale must be > 0, got \(initialScale)") }
    }

    /// Fits user and item factors on `x`; `progress(iteration, loss)` after each iteration.
    public func fit(_ x: InteractionMatrix, progress: ((Int, Double) -> Void)? = nil) throws -> ImplicitALSModel {
        try validate()
        let f = factors
        var g = SeededGenerator(seed: seed)
        var items = DenseMatrix(rows: x.itemCount, columns: f,
                                values: (0..<(x.itemCount * f)).map { _ in Float(g.nextGaussian() * initialScale) })
        var users = DenseMatrix(zeros: x.userCount, f)
        var losses: [Double] = []
        for iteration in 1...iterations {
            users = try ALSSolver.solveRows(x.byUser, other: items, lambda: regularization, alpha: alpha)
            items = try ALSSolver.solveRows(x.byItem, other: users, lambda: regularization, alpha: alpha)
            let loss = try ALSSolver.loss(x, users: users, items: items, lambda: regularization, alpha: alpha)
            losses.append(loss)
            progress?(iteration, loss)
        }
        return ImplicitALSModel(configuration: self, userFactors: users, itemFactors: items, losses: losses,
                                userGram: try ALSSolver.gram(users), itemGram: try ALSSolver.gram(items))
    }
}

/// A fitted implicit-ALS model (immutable).
public struct ImplicitALSModel: Sendable {
    public let configuration: ImplicitALSConfiguration
    /// `X`, users × f.
    public let userFactors: DenseMatrix
    /// `Y`, items × f.
    public let itemFactors: DenseMatrix
    /// `L` after each iteration (never increasing up to rounding).
    public let losses: [Double]
    /// `XᵀX` and `YᵀY` (f × f, double), kept for fold-ins.
    let userGram: [Double]
    let itemGram: [Double]

    public var factors: Int { itemFactors.columns }

    /// Factors of a new user from the items they interacted with, the item factors fixed: the
    /// user step's formula, `(YᵀY + λI + α Σ y_i y_iᵀ)⁻¹ (1 + α) Σ y_i`. No items → zeros.
    public func foldInUser(items: [Int]) throws -> [Float] {
        try ALSSolver.foldIn(items, other: itemFactors, gram: itemGram, lambda: configuration.regularization,
                             alpha: configuration.alpha, side: "item")
    }

    /// Factors of a new item (e.g. a new paper) from the users who interacted with it, the user
    /// factors fixed. For a fitted item this returns its own factors (the item step is last).
    public func foldInItem(users: [Int]) throws -> [Float] {
        try ALSSolver.foldIn(users, other: userFactors, gram: userGram, lambda: configuration.regularization,
                             alpha: configuration.alpha, side: "user")
    }

    /// `x_uᵀ y_i` for every item and each user of `users`: `users.count × items`, one sgemm.
    public func scores(users: [Int]) throws -> DenseMatrix {
        let f = factors
        var block = DenseMatrix(zeros: users.count, f)
        for (r, u) in users.enumerated() {
            guard u >= 0 && u < userFactors.rows else {
                throw CollaborativeError.shapeMismatch("user \(u) outside the model's 0..<\(userFactors.rows)")
            }
            block.values.replaceSubrange((r * f)..<((r + 1) * f), with: userFactors.values[(u * f)..<((u + 1) * f)])
        }
        return try BLAS.gemm(block, itemFactors, transposeB: true)
    }
}
