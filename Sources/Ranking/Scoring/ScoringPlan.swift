import Foundation
import LinearAlgebra
import PaperFeedCore

/// What the batch kernel computes, for every ranker: with a reader query q_u (D floats) and the
/// candidate matrix X (n × D),
///
///     score(u, c) = q_u · X_c + b_u + item_c + adjustment(u, c)
///
/// q_u · X_c is one sgemm per block of readers; b_u is a per-reader constant; item_c the paper
/// terms; an adjustment applies to the few candidates with a per-reader change (a skipped paper's
/// penalty; the learned ranker's seen/skipped/own-feedback terms). X's columns are segments:
///
/// | segment | reader vector | candidate columns |
/// |---|---|---|
/// | profile | unit Rocchio profile p̂_u (`ReaderHistory`) | content: e_c; collaborative: the audience vector a_c |
/// | categories | the reader's smoothed category shares s_u | m_c (1/|slots| on the paper's category slots) |
///
/// **Hand-set blend** (`RankingConfiguration`): content and collaborative are z-scored per
/// reader over the candidates — μ_u = p̂_u·ē and σ_u² = p̂_uᵀ C p̂_u with ē and C the mean and
/// covariance of the candidate columns, exact and cheap (d² per reader), so no pass over the
/// row is needed — each in its own segment with q = (w/σ_u)·p̂_u and b_u = −Σ w·μ_u/σ_u; the item
/// signals are z-scored over the candidates (trend after log1p). Skipped papers get −skipPenalty.
/// Cold readers (no profile) use `coldStartWeights` for the item signals.
///
/// **Learned ranker** (`LearnedRanker`): features are z-scored over the candidates like the
/// hand-set signals (`CandidateStats`), content and collaborative both by the reader's content
/// spread σ_u, so they share one profile segment, X = ω_c·e_c + ω_a·a_c with q = p̂_u/σ_u
/// (ω = w/σ of the training standardization); the categories segment has X = ω_g·m_c,
/// q = s_u/τ_u; b_u = the offsets and the reader's means (μ_u, p̂_u·ā, s_u·m̄) times their weights.
struct ScoringPlan: Sendable {
    enum ReaderVector: Sendable { case profile, categories }

    struct Segment: Sendable {
        var vector: ReaderVector
        var offset: Int
        var width: Int
        /// The dot signals whose columns this segment holds (hand-set: one; learned profile: content and collaborative).
        var signals: [Signal]
    }

    /// Mean and covariance of candidate columns, for per-reader z-scores (Double, fixed order).
    struct Moments: Sendable {
        var mean: [Double]
        var covariance: [Double]
        var d: Int

        /// ē = (1/n)·Σ x_i and C = (1/n)·XᵀX − ē·ēᵀ (XᵀX by one sgemm on one BLAS thread, so
        /// the values do not depend on the machine).
        init(_ m: DenseMatrix) {
            let n = m.rows, d = m.columns
            self.d = d
            var mean = [Double](repeating: 0, count: d)
            for i in 0..<n { for j in 0..<d { mean[j] += Double(m.values[i * d + j]) } }
            if n > 0 { for j in 0..<d { mean[j] /= Double(n) } }
            let gram = (try? BLAS.withThreads(1) { try BLAS.gemm(m, transposeA: true, m) }) ?? DenseMatrix(zeros: d, d)
            var cov = [Double](repeating: 0, count: d * d)
            if n > 0 {
                for a in 0..<d {
                    for b in 0..<d { cov[a * d + b] = Double(gram.values[a * d + b]) / Double(n) - mean[a] * mean[b] }
                }
            }
            self.mean = mean
            covariance = cov
        }

        /// (μ, σ) of v·x over the candidates.
        func of(_ v: UnsafeBufferPointer<Float>) -> (mean: Double, sd: Double) {
            var mu = 0.0, q = 0.0
            for a in 0..<d {
                let va = Double(v[a])
                mu += va * mean[a]
                var s = 0.0
                for b in 0..<d { s += covariance[a * d + b] * Double(v[b]) }
                q += va * s
            }
            return (mu, max(0, q).squareRoot())
        }
    }

    let segments: [Segment]
    let columns: Int
    /// n × D, the sgemm operand.
    let matrix: DenseMatrix
    /// max_c |X_c|: with |q_u| it bounds the sgemm rounding (see `margin`).
    let maxRowNorm: Float
    /// The candidate columns of each dot signal alone (for the breakdown): content, collaborative, category.
    let signalColumns: [Signal: DenseMatrix]
    /// Hand-set: per-reader z-score moments of the content and collaborative columns.
    let moments: [Signal: Moments]
    /// Hand-set weights (warm; cold ones apply to the item signals only).
    let weights: RankingConfiguration.Weights?
    /// Learned: per dot signal, the global coefficient (w/σ per raw unit) and offset (−w·μ/σ).
    let dotCoefficients: [Signal: (coefficient: Float, offset: Double)]
    /// Item terms, warm and cold, and their parts per signal (for the breakdown).
    let warmItem: [Float]
    let coldItem: [Float]
    let warmParts: [(signal: Signal, values: [Float])]
    let coldParts: [(signal: Signal, values: [Float])]
    /// Learned: the candidates' statistics (per-reader standardization).
    let stats: CandidateStats?

    var isLearned: Bool { weights == nil }
    /// max |item term| (warm and cold).
    var maxItem: Float { max(warmItem.reduce(0) { max($0, abs($1)) }, coldItem.reduce(0) { max($0, abs($1)) }) }
}
