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

    public init(name: String, configuration: RankingConfiguration, space: TopicSpace, snapshot: RankingSnapshot) {
        self.name = name
        self.configuration = configuration
        self.space = space
        self.snapshot = snapshot
    }

    /// `trend-only`, `content-only`, `feedback-only`, `freshness-only`, or `blend` with the default configuration.
    public static func named(_ baseline: String, window: Double, space: TopicSpace, snapshot: RankingSnapshot) -> BlendBaseline? {
        var c: RankingConfiguration
        switch baseline {
        case "trend-only", "trend": c = .only(.trend)
        case "content-only", "content": c = .only(.content)
        case "feedback-only": c = .only(.feedback)
        case "freshness-only": c = .only(.freshness)
        case "blend": c = RankingConfiguration()
        default: return nil
        }
        c.candidates.windowDays = window
        return BlendBaseline(name: baseline, configuration: c, space: space, snapshot: snapshot)
    }

    public func rank(users: [UserID], candidates: [PaperID], exclude: [UserID: Set<PaperID>], k: Int) throws -> [RankedList] {
        let ranker = try BlendRanker(configuration: configuration, space: space, snapshot: snapshot)
        let extra = exclude.values.map(\.count).max() ?? 0
        return try ranker.rank(users: users, k: k + extra).map { list in
            let skip = exclude[list.user] ?? []
            return RankedList(user: list.user, items: Array(list.items.lazy.filter { !skip.contains($0.paper) }.prefix(k)))
        }
    }
}
