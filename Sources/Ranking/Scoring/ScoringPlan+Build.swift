import Foundation
import LinearAlgebra
import PaperFeedCore

extension ScoringPlan {
    /// Paper-signal z-scores are clipped to ±`zClip`: trend and read rate are heavy-tailed and
    /// mostly at their prior (most candidates have no upvotes or reads yet), so the few papers
    /// with real counts would otherwise sit 10–20 standard deviations out and top every reader's
    /// list, the mirror image of min–max squashing all but one (winsorizing at 3 sd is the usual
    /// robust compromise). Reader × paper signals (content, collaborative) are cosines, bounded,
    /// and stay linear so the sgemm can compute them.
    static let zClip = 3.0

    /// z-scores of x over its finite values ((x − mean) / sd, population sd), clipped to ±`zClip`;
    /// all zeros when the values are constant (sd ≤ 1e-12·(1 + |mean|)) or none is finite; a
    /// non-finite value → 0.
    static func zScores(_ x: [Double]) -> [Float] {
        let finite = x.filter(\.isFinite)
        guard !finite.isEmpty else { return [Float](repeating: 0, count: x.count) }
        let mean = finite.reduce(0, +) / Double(finite.count)
        let variance = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count)
        let sd = variance.squareRoot()
        guard sd > 1e-12 * (1 + abs(mean)) else { return [Float](repeating: 0, count: x.count) }
        return x.map { $0.isFinite ? Float(min(zClip, max(-zClip, ($0 - mean) / sd))) : 0 }
    }

    static func maxNorm(_ m: DenseMatrix) -> Float {
        var best: Float = 0
        for i in 0..<m.rows {
            var s: Float = 0
            for j in 0..<m.columns { s += m.values[i * m.columns + j] * m.values[i * m.columns + j] }
            best = max(best, s.squareRoot())
        }
        return best
    }

    /// The hand-set blend's plan (see the type's doc comment).
    static func handSet(_ c: RankingConfiguration, content: DenseMatrix, audience: DenseMatrix?, trend: [Double],
                        feedback: [Double], freshness: [Double]) -> ScoringPlan {
        let n = content.rows, d = content.columns
        var segments: [Segment] = []
        var columns: [DenseMatrix] = []
        var moments: [Signal: Moments] = [:]
        var signalColumns: [Signal: DenseMatrix] = [.content: content]
        if c.weights.content > 0 {
            segments.append(Segment(vector: .profile, offset: 0, width: d, signals: [.content]))
            columns.append(content)
            moments[.content] = Moments(content)
        }
        if c.weights.collaborative > 0, let a = audience {
            segments.append(Segment(vector: .profile, offset: segments.count * d, width: d, signals: [.collaborative]))
            columns.append(a)
            moments[.collaborative] = Moments(a)
            signalColumns[.collaborative] = a
        }
        let matrix = concatenate(columns, rows: n)
        let nt = zScores(trend.map { $0.isFinite ? log1p(max(0, $0)) : $0 }), nf = zScores(feedback), nfr = zScores(freshness)
        func parts(_ w: RankingConfiguration.Weights) -> [(signal: Signal, values: [Float])] {
            [(.trend, nt.map { Float(w.trend) * $0 }), (.feedback, nf.map { Float(w.feedback) * $0 }),
             (.freshness, nfr.map { Float(w.freshness) * $0 })]
        }
        func sum(_ p: [(signal: Signal, values: [Float])]) -> [Float] {
            (0..<n).map { j in p.reduce(Float(0)) { $0 + $1.values[j] } }
        }
        let warm = parts(c.weights), cold = parts(c.coldStartWeights)
        return ScoringPlan(segments: segments, columns: matrix.columns, matrix: matrix, maxRowNorm: maxNorm(matrix),
                           signalColumns: signalColumns, moments: moments, weights: c.weights, dotCoefficients: [:],
                           warmItem: sum(warm), coldItem: sum(cold), warmParts: warm, coldParts: cold, stats: nil)
    }

    /// The learned ranker's plan (see the type's doc comment and `CandidateStats`): with
    /// ω_k = w_k/σ_k and o_k = −w_k·μ_k/σ_k of the training standardization, the profile segment
    /// holds ω_content·e_c + ω_collaborative·a_c (a reader's query is p̂_u/σ_u), the categories
    /// segment ω_category·m_c (query s_u/τ_u), and the item term Σ ω_k·z_k(c) + o_k.
    static func learned(_ r: LearnedRanker, candidates c: FeatureContext.Candidates) -> ScoringPlan {
        let content = c.content
        let n = content.rows, d = content.columns
        var dot: [Signal: (coefficient: Float, offset: Double)] = [:]
        var signalColumns: [Signal: DenseMatrix] = [.content: content]
        let alpha = r.rawWeight(.content), beta = c.audience == nil ? 0 : r.rawWeight(.collaborative)
        dot[.content] = (Float(alpha), r.offset(.content))
        var segments: [Segment] = []
        var blocks: [DenseMatrix] = []
        var signals: [Signal] = []
        var profile = [Float](repeating: 0, count: n * d)
        if alpha != 0 {
            signals.append(.content)
            for i in profile.indices { profile[i] = Float(alpha) * content.values[i] }
        }
        if let a = c.audience {
            signalColumns[.collaborative] = a
            dot[.collaborative] = (Float(beta), r.offset(.collaborative))
            if beta != 0 {
                signals.append(.collaborative)
                for i in profile.indices { profile[i] += Float(beta) * a.values[i] }
            }
        }
        if !signals.isEmpty {
            segments.append(Segment(vector: .profile, offset: 0, width: d, signals: signals))
            blocks.append(DenseMatrix(rows: n, columns: d, values: profile))
        }
        if let m = c.categories {
            let gamma = r.rawWeight(.category)
            signalColumns[.category] = m
            dot[.category] = (Float(gamma), r.offset(.category))
            if gamma != 0 {
                segments.append(Segment(vector: .categories, offset: blocks.reduce(0) { $0 + $1.columns }, width: m.columns, signals: [.category]))
                blocks.append(DenseMatrix(rows: n, columns: m.columns, values: m.values.map { Float(gamma) * $0 }))
            }
        }
        let matrix = concatenate(blocks, rows: n)
        var parts: [(signal: Signal, values: [Float])] = []
        for (feature, signal) in [(RankerFeature.trend, Signal.trend), (.feedback, .feedback), (.freshness, .freshness)]
        where r.features.contains(feature) {
            let x = c.raw[feature] ?? [Double](repeating: 0, count: n)
            let w = r.rawWeight(feature), o = r.offset(feature)
            parts.append((signal, x.map { Float(w * c.stats.z(feature, $0) + o) }))
        }
        for (feature, signal) in [(RankerFeature.seen, Signal.seen), (.skipped, .skipped)] where r.features.contains(feature) {
            parts.append((signal, [Float](repeating: Float(r.offset(feature)), count: n)))
        }
        let item = (0..<n).map { j in parts.reduce(Float(0)) { $0 + $1.values[j] } }
        return ScoringPlan(segments: segments, columns: matrix.columns, matrix: matrix, maxRowNorm: maxNorm(matrix),
                           signalColumns: signalColumns, moments: [:], weights: nil, dotCoefficients: dot,
                           warmItem: item, coldItem: item, warmParts: parts, coldParts: parts, stats: c.stats)
    }

    /// Blocks side by side (same rows).
    static func concatenate(_ blocks: [DenseMatrix], rows n: Int) -> DenseMatrix {
        let width = blocks.reduce(0) { $0 + $1.columns }
        var values = [Float](repeating: 0, count: n * width)
        var offset = 0
        for b in blocks {
            for i in 0..<n {
                for j in 0..<b.columns { values[i * width + offset + j] = b.values[i * b.columns + j] }
            }
            offset += b.columns
        }
        return DenseMatrix(rows: n, columns: width, values: values)
    }
}
