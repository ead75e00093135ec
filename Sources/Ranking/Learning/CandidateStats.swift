import Foundation
import LinearAlgebra
import PaperFeedCore

/// The statistics of the candidate set at one feature time T (the papers published in
/// (T − window, T] that are in the topic space), by which the learned ranker's features are
/// standardized, as the hand-set blend standardizes its signals:
///
/// - paper features (trend, feedback, freshness): z = (x − mean) / sd over the candidates
///   (not clipped: see `z`)
///   (feedback without any reader's exclusion; a reader's own-pair value uses the same mean and sd);
/// - content: z = (p̂_u·e_c − μ_u) / σ_u with μ_u = p̂_u·ē, σ_u² = p̂_uᵀ C p̂_u (ē, C: mean and
///   covariance of the candidates' embeddings), the reader's own spread, as in the hand-set blend;
/// - collaborative: (p̂_u·a_c − p̂_u·ā) / σ_u — centred on the candidates' mean audience ā and
///   scaled by the same σ_u as content, since both are dot products with p̂_u: one shared scale
///   keeps them in one sgemm segment (`ScoringPlan`);
/// - category: (s_u·m_c − s_u·m̄) / τ_u, τ_u² = s_uᵀ C_m s_u;
/// - seen, skipped: 0/1 as they are.
/// A spread ≤ 1e-6 (a constant signal, a cold reader) gives z = 0.
struct CandidateStats: Sendable {
    var item: [RankerFeature: (mean: Double, sd: Double)] = [:]
    var content: ScoringPlan.Moments?
    var audienceMean: [Double]?
    var categories: ScoringPlan.Moments?

    static let flat = 1e-6

    init(content: DenseMatrix?, audience: DenseMatrix?, categories: DenseMatrix?, raw: [RankerFeature: [Double]]) {
        for (f, x) in raw {
            let finite = x.filter(\.isFinite)
            guard !finite.isEmpty else { item[f] = (0, 0); continue }
            let mean = finite.reduce(0, +) / Double(finite.count)
            let variance = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count)
            item[f] = (mean, variance.squareRoot())
        }
        self.content = content.flatMap { $0.rows > 0 ? ScoringPlan.Moments($0) : nil }
        self.categories = categories.flatMap { $0.rows > 0 ? ScoringPlan.Moments($0) : nil }
        if let a = audience, a.rows > 0 {
            var mean = [Double](repeating: 0, count: a.columns)
            for i in 0..<a.rows { for j in 0..<a.columns { mean[j] += Double(a.values[i * a.columns + j]) } }
            audienceMean = mean.map { $0 / Double(a.rows) }
        }
    }

    /// z of a paper feature's raw value. Not clipped, unlike the hand-set blend's
    /// (`ScoringPlan.zClip`): the learned weight is fitted on rows that hold the same heavy tail,
    /// so how much a paper far out on the trend or read rate counts is learned, not capped by
    /// hand. (Clipped learned features ranked worse on the demo replay by the day's hidden
    /// relevance, nDCG@10 0.168 against 0.178, and the same by logged reads.)
    func z(_ f: RankerFeature, _ x: Double) -> Double {
        guard let s = item[f], s.sd > Self.flat, x.isFinite else { return 0 }
        return (x - s.mean) / s.sd
    }

    /// A reader's standardization: (μ_u, σ_u) of content, p̂·ā, and (ξ_u, τ_u) of categories.
    struct Reader {
        var contentMean = 0.0, contentScale = 0.0, audienceMean = 0.0
        var categoryMean = 0.0, categoryScale = 0.0
    }

    func reader(profile: [Float]?, shares: [Float]) -> Reader {
        var r = Reader()
        if let p = profile, let m = content {
            let (mu, sd) = p.withUnsafeBufferPointer { m.of($0) }
            r.contentMean = mu
            r.contentScale = sd > Self.flat ? sd : 0
            if let a = audienceMean { for j in 0..<min(a.count, p.count) { r.audienceMean += Double(p[j]) * a[j] } }
        }
        if !shares.isEmpty, let m = categories {
            let (mu, sd) = shares.withUnsafeBufferPointer { m.of($0) }
            r.categoryMean = mu
            r.categoryScale = sd > Self.flat ? sd : 0
        }
        return r
    }
}
