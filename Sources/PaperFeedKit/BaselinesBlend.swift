import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import Ranking

/// The blend ranker (any configuration, including the single-signal `trend-only` and
/// `content-only` baselines, `RankingConfiguration.only`) as a `CandidateRanker`, fitted at the
/// snapshot's as-of time. The candidates are the blend's own (papers published in
/// `configuration.candidates.windowDays` before as-of that are in the topic space), so the
/// `candidates` argument is ignored; the experiment passes the same window to every system.
/// Papers the reader read are excluded by the blend itself; `exclude` is removed on top.
public struct BlendBaseline: CandidateRanker {
    public var name: String
    public var configuration: RankingConfiguration
    public var space: TopicSpace
    public var snapshot: RankingSnapshot
    /// Rank with this learned ranker instead of the configuration's weights.
    public var learned: LearnedRanker?

    public init(name: String, configuration: RankingConfiguration, space: TopicSpace, snapshot: RankingSnapshot,
                learned: LearnedRanker? = nil) {
        self.name = name
        self.configuration = configuration
        self.space = space
        self.snapshot = snapshot
        self.learned = learned
    }

    /// `trend-only`, `content-only`, `feedback-only`, `freshness-only`, `collaborative-only`, or
    /// `blend` with the default configuration (hand-set weights); `category-only`, `seen-only` and
    /// `skipped-only` rank by that learned-ranker feature alone (`LearnedRanker.single`).
    public static func named(_ baseline: String, window: Double, space: TopicSpace, snapshot: RankingSnapshot) -> BlendBaseline? {
        var c: RankingConfiguration
        var learned: LearnedRanker? = nil
        switch baseline {
        case "trend-only", "trend": c = .only(.trend)
        case "content-only", "content": c = .only(.content)
        case "feedback-only": c = .only(.feedback)
        case "freshness-only": c = .only(.freshness)
        case "collaborative-only": c = .only(.collaborative)
        case "blend": c = RankingConfiguration()
        case "category-only", "seen-only", "skipped-only":
            c = RankingConfiguration()
            c.candidates.windowDays = window
            let feature = RankerFeature(rawValue: String(baseline.dropLast("-only".count)))!
            learned = LearnedRanker.single(feature, snapshot: snapshot, ranking: c)
        default: return nil
        }
        c.candidates.windowDays = window
        return BlendBaseline(name: baseline, configuration: c, space: space, snapshot: snapshot, learned: learned)
    }

    public func rank(users: [UserID], candidates: [PaperID], exclude: [UserID: Set<PaperID>], k: Int) throws -> [RankedList] {
        let ranker = try BlendRanker(configuration: configuration, space: space, snapshot: snapshot, learned: learned)
        let extra = exclude.values.map(\.count).max() ?? 0
        return try ranker.rank(users: users, k: k + extra).map { list in
            let skip = exclude[list.user] ?? []
            return RankedList(user: list.user, items: Array(list.items.lazy.filter { !skip.contains($0.paper) }.prefix(k)))
        }
    }
}

/// The learned ranker as a `CandidateRanker`: at the snapshot's as-of time it learns from the
/// snapshot's events only (`RankerLearner`, validation on the days just before), then ranks like
/// `BlendBaseline`. In an as-of replay that is one fit per cut-off, each on the data before it.
public struct LearnedBaseline: CandidateRanker {
    public var name: String
    public var configuration: RankingConfiguration
    public var learner: RankerLearner.Configuration
    public var space: TopicSpace
    public var snapshot: RankingSnapshot

    public init(name: String, configuration: RankingConfiguration, learner: RankerLearner.Configuration, space: TopicSpace,
                snapshot: RankingSnapshot) {
        self.name = name
        self.configuration = configuration
        self.learner = learner
        self.space = space
        self.snapshot = snapshot
    }

    public func learn() throws -> LearnedRanker {
        try RankerLearner(configuration: learner).fit(snapshot: snapshot, space: space, ranking: configuration, topicModel: "replay")
    }

    public func rank(users: [UserID], candidates: [PaperID], exclude: [UserID: Set<PaperID>], k: Int) throws -> [RankedList] {
        let learned = try learn()
        return try BlendBaseline(name: name, configuration: configuration, space: space, snapshot: snapshot, learned: learned)
            .rank(users: users, candidates: candidates, exclude: exclude, k: k)
    }
}
