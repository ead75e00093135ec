import Foundation
import PaperFeedCore

/// What a ranker may know at its as-of time: papers, and only the events and upvote
/// observations strictly before `asOf`. Building the snapshot is where leakage is prevented:
/// everything downstream sees only this.
public struct RankingSnapshot: Sendable {
    public struct PaperInfo: Sendable, Hashable {
        public var id: PaperID
        public var publishedAt: Date?
        public var upvotes: Int?
        /// Subject categories (arXiv `cs.LG`, …); empty when the source gives none.
        public var categories: [String]
        public init(id: PaperID, publishedAt: Date?, upvotes: Int?, categories: [String] = []) {
            self.id = id
            self.publishedAt = publishedAt
            self.upvotes = upvotes
            self.categories = categories
        }
    }

    public let asOf: Date
    /// Papers published at or before `asOf` (or undated), ordered by id.
    public let papers: [PaperInfo]
    /// Events with `at < asOf`, ordered by (at, user, paper, kind).
    public let events: [Event]
    /// Observations with `observedAt < asOf`, ordered by (paper, observedAt).
    public let observations: [UpvoteObservation]

    public init(asOf: Date, papers: [PaperInfo], events: [Event], observations: [UpvoteObservation]) {
        self.asOf = asOf
        self.papers = papers.filter { ($0.publishedAt ?? .distantPast) <= asOf }.sorted { $0.id < $1.id }
        self.events = events.filter { $0.at < asOf }.sorted {
            ($0.at, $0.user.rawValue, $0.paper.rawValue, $0.kind.rawValue) < ($1.at, $1.user.rawValue, $1.paper.rawValue, $1.kind.rawValue)
        }
        self.observations = observations.filter { $0.observedAt < asOf }.sorted {
            $0.paper == $1.paper ? $0.observedAt < $1.observedAt : $0.paper < $1.paper
        }
    }

    /// Readers: every user with at least one event before `asOf`, ordered by id.
    public var readers: [UserID] { Array(Set(events.map(\.user))).sorted() }
}
