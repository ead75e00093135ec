import Foundation
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
