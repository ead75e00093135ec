import Foundation
import PaperFeedCore
import PaperFeedIO
import Ranking

extension RankingSnapshot {
    /// Everything in the store that a ranker may know at `asOf`.
    public static func load(store: Store, asOf: Date) throws -> RankingSnapshot {
        let papers = try store.paperSummaries().map {
            RankingSnapshot.PaperInfo(id: $0.id, publishedAt: $0.publishedAt, upvotes: $0.upvotes, categories: $0.categories)
        }
        let events = try store.events(in: Date.distantPast..<asOf)
        let observations = try store.upvoteObservations(before: asOf)
        return RankingSnapshot(asOf: asOf, papers: papers, events: events, observations: observations)
    }
}

extension RankingConfiguration {
    /// Reads a configuration file, or the defaults when `path` is nil.
    public static func load(path: String?) throws -> RankingConfiguration {
        guard let path else { return RankingConfiguration() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KitError.notFound("\(path): no such configuration file")
        }
        return try RankingConfiguration.decode(data, source: path)
    }
}
