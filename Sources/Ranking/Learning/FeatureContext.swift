import Foundation
import LinearAlgebra
import PaperFeedCore

/// The features of (reader, paper) pairs at one feature time T, read from a `LogReplay`
/// advanced to T and the trend as of T. Training builds one per logged day (T = the day's start)
/// and serving one at the as-of time: the same functions give both their values.
struct FeatureContext {
    let replay: LogReplay
    let trend: TrendScorer
    let time: Double
    let settings: LearnedRanker.Settings
    let published: [PaperID: Date]

    init(replay: LogReplay, trend: TrendScorer, time: Double, settings: LearnedRanker.Settings, published: [PaperID: Date]) {
        self.replay = replay
        self.trend = trend
        self.time = time
        self.settings = settings
        self.published = published
    }

    var dimensions: Int { replay.space.dimensions }

    /// log1p of the paper's trend at T.
    func trendFeature(_ paper: PaperID) -> Double {
        let t = trend.score(paper, publishedAt: published[paper])
        return t.isFinite ? log1p(max(0, t)) : 0
    }

    /// 0.5^(age / h), age at T in days (undated papers count as fresh).
    func freshnessFeature(_ paper: PaperID) -> Double {
        guard let p = published[paper] else { return 1 }
        return pow(0.5, max(0, time - p.timeIntervalSince1970) / 86_400 / settings.trend.halfLifeDays)
    }

    /// The paper's read rate without the reader's own pair (`LogReplay.readRate`); a paper with no
    /// event at all has the global rate.
    func feedbackFeature(paper p: Int32?, reader u: Int32?) -> Double {
        guard let p else { return replay.readRate(nil, priorStrength: settings.feedbackPriorStrength) }
        return replay.readRate(p, excluding: u, priorStrength: settings.feedbackPriorStrength)
    }

    /// (seen, skipped) of the reader's own pair before T.
    func ownPair(reader u: Int32?, paper p: Int32?) -> (seen: Double, skipped: Double) {
        guard let u, let p, let pair = replay.pair(u, p) else { return (0, 0) }
        return (pair.shown && !pair.positive ? 1 : 0, pair.skipped ? 1 : 0)
    }

    /// The reader vectors: unit profile (nil when none) and category shares (empty without a vocabulary).
    func readerVectors(_ u: Int32?) -> (profile: [Float]?, shares: [Float]) {
        let profile = u.flatMap { replay.profile($0) }
        var shares = [Float](repeating: 0, count: settings.categories?.count ?? 0)
        if !shares.isEmpty { replay.categoryShares(u, prior: settings.categoryPrior, into: &shares[...]) }
        return (profile, shares)
    }
}

extension LogReplay {
    /// The global rate m = ΣR / ΣE: what a paper nobody saw scores.
    func readRate(_ p: Int32?, priorStrength s: Double) -> Double {
        guard let p else { return totalExamined > 0 ? totalReads / totalExamined : 0 }
        return readRate(p, excluding: nil, priorStrength: s)
    }
}

extension FeatureContext {
    /// The candidates' matrices and raw paper features at T, and their statistics.
    struct Candidates {
        var ids: [PaperID]
        var content: DenseMatrix
        var audience: DenseMatrix?
        var categories: DenseMatrix?
        var raw: [RankerFeature: [Double]]
        var stats: CandidateStats
    }

    /// Everything about the candidates (space rows `rows`) that the features need.
    func candidates(rows: [Int], space: TopicSpace, features: [RankerFeature], categories: [PaperID: [String]]) -> Candidates {
        let ids = rows.map { space.ids[$0] }
        let n = rows.count, d = space.dimensions
        let content = space.gather(rows)
        var audience: DenseMatrix? = nil
        if features.contains(.collaborative), replay.trackAudience {
            var values = [Float](repeating: 0, count: n * d)
            for (j, id) in ids.enumerated() {
                guard let p = replay.log.paperIndex(id) else { continue }
                replay.audience(p, shrinkage: settings.audienceShrinkage, into: &values[(j * d)..<((j + 1) * d)])
            }
            audience = DenseMatrix(rows: n, columns: d, values: values)
        }
        var categoryMatrix: DenseMatrix? = nil
        if features.contains(.category), let v = settings.categories {
            var m = [Float](repeating: 0, count: n * v.count)
            for (j, id) in ids.enumerated() { v.paperVector(categories[id] ?? [], into: &m[(j * v.count)..<((j + 1) * v.count)]) }
            categoryMatrix = DenseMatrix(rows: n, columns: v.count, values: m)
        }
        var raw: [RankerFeature: [Double]] = [:]
        if features.contains(.trend) { raw[.trend] = ids.map { trendFeature($0) } }
        if features.contains(.freshness) { raw[.freshness] = ids.map { freshnessFeature($0) } }
        if features.contains(.feedback) { raw[.feedback] = ids.map { feedbackFeature(paper: replay.log.paperIndex($0), reader: nil) } }
        let stats = CandidateStats(content: features.contains(.content) || features.contains(.collaborative) ? content : nil,
                                   audience: audience, categories: categoryMatrix, raw: raw)
        return Candidates(ids: ids, content: content, audience: audience, categories: categoryMatrix, raw: raw, stats: stats)
    }

    /// The candidates' statistics only.
    func candidateStats(rows: [Int], space: TopicSpace, features: [RankerFeature], categories: [PaperID: [String]]) -> CandidateStats {
        candidates(rows: rows, space: space, features: features, categories: categories).stats
    }
}
