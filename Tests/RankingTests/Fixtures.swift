import Foundation
import LinearAlgebra
import PaperFeedCore
@testable import Ranking

/// 2025-03-20T00:00:00Z, the as-of time of every fixture.
let fixtureAsOf = Date(timeIntervalSince1970: 1_742_428_800)
let day: TimeInterval = 86_400

func ago(_ days: Double, from t: Date = fixtureAsOf) -> Date { t.addingTimeInterval(-days * day) }

/// Seeded synthetic world: 300 papers with random unit embeddings (d = 16) published over the
/// last 20 days (a few undated, a few missing from the topic space), upvote observations (some
/// after asOf, which must be ignored), and events of 40 readers (some after asOf).
struct SyntheticWorld: Sendable {
    static let seed: UInt64 = 20_250_320
    let space: TopicSpace
    let papers: [RankingSnapshot.PaperInfo]
    let events: [Event]
    let observations: [UpvoteObservation]
    let snapshot: RankingSnapshot
    /// Readers that have events, plus one unknown to the ranker ("zz-ghost").
    let users: [UserID]

    init(seed: UInt64 = SyntheticWorld.seed, readers: Int = 40, paperCount: Int = 300, d: Int = 16) {
        var g = SeededGenerator(seed: seed)
        let ids = (0..<paperCount).map { PaperID(String(format: "p%03d", $0)) }
        var values = [Float](repeating: 0, count: paperCount * d)
        for i in values.indices { values[i] = Float(g.nextGaussian()) }
        // The last 10 papers are not in the topic space.
        let inSpace = paperCount - 10
        space = try! TopicSpace(ids: Array(ids.prefix(inSpace)),
                                embeddings: DenseMatrix(rows: inSpace, columns: d, values: Array(values.prefix(inSpace * d))))
        var papers: [RankingSnapshot.PaperInfo] = []
        var observations: [UpvoteObservation] = []
        for (i, id) in ids.enumerated() {
            let published: Date? = i % 50 == 7 ? nil : ago(g.nextUnit() * 20)
            papers.append(.init(id: id, publishedAt: published, upvotes: Int(g.next() % 100)))
            guard let p = published else { continue }
            var votes = 0
            for _ in 0..<Int(g.next() % 4) {
                let at = p.addingTimeInterval(g.nextUnit() * 22 * day)
                votes += Int(g.next() % 40)
                observations.append(UpvoteObservation(paper: id, observedAt: at, upvotes: votes))
            }
        }
        var events: [Event] = []
        var users: [UserID] = []
        for r in 0..<readers {
            let user = UserID(String(format: "u%02d", r))
            users.append(user)
            // u00 only touched papers outside the topic space: a cold reader with history.
            let pool = r == 0 ? Array(ids.suffix(10)) : ids
            for _ in 0..<(r == 0 ? 3 : 2 + Int(g.next() % 12)) {
                let paper = pool[Int(g.next() % UInt64(pool.count))]
                let at = ago(-2 + g.nextUnit() * 22)  // some after asOf
                let kinds: [EventKind] = [.impression, .read, .read, .skip, .save, .upvote]
                let kind = kinds[Int(g.next() % UInt64(kinds.count))]
                events.append(Event(user: user, paper: paper, kind: kind, at: at, position: 1 + Int(g.next() % 20)))
            }
        }
        users.append("zz-ghost")
        self.papers = papers
        self.observations = observations
        self.events = events
        self.users = users
        snapshot = RankingSnapshot(asOf: fixtureAsOf, papers: papers, events: events, observations: observations)
    }

    /// Papers a reader read, saved or upvoted before asOf (computed from the raw events).
    func readBefore(_ user: UserID) -> Set<PaperID> {
        Set(events.filter { $0.user == user && $0.at < fixtureAsOf && [.read, .save, .upvote].contains($0.kind) }.map(\.paper))
    }

    /// Candidates by definition: dated, published in [asOf − window, asOf), in the topic space.
    func candidates(windowDays: Double = 7) -> Set<PaperID> {
        Set(papers.filter { p in
            guard let at = p.publishedAt else { return false }
            return at >= ago(windowDays) && at < fixtureAsOf && space.index[p.id] != nil
        }.map(\.id))
    }
}

/// The rankers every conformance property is checked on: the hand-set blend, each single
/// signal, MMR, the blend with the collaborative signal, and the learned ranker (alone and with MMR).
func conformanceConfigurations() -> [(name: String, configuration: RankingConfiguration)] {
    var mmr = RankingConfiguration()
    mmr.diversity.enabled = true
    var collaborative = RankingConfiguration()
    collaborative.weights.collaborative = 0.3
    return [("blend", RankingConfiguration()), ("content", .only(.content)), ("trend", .only(.trend)),
            ("feedback", .only(.feedback)), ("freshness", .only(.freshness)), ("collaborative", .only(.collaborative)),
            ("blend+collaborative", collaborative), ("blend+mmr", mmr), ("learned", RankingConfiguration()), ("learned+mmr", mmr)]
}

/// The learned ranker of the conformance suite. The suite checks serving properties, not what
/// a fit finds, so the weights are fixed (every feature used, with both signs), with the feature
/// settings `RankerLearner` derives from the synthetic world's log.
let conformanceLearned: LearnedRanker = {
    let w = ConformanceTests.world
    let features = RankerFeature.allCases
    let settings = RankerLearner.settings(log: EventLog(events: w.snapshot.events), snapshot: w.snapshot, ranking: RankingConfiguration(),
                                          configuration: RankerLearner.Configuration())
    let weights: [RankerFeature: Double] = [.content: 0.6, .collaborative: 0.3, .category: 0.2, .trend: 0.25, .feedback: 0.15,
                                            .freshness: 0.1, .seen: -0.2, .skipped: -0.4]
    var r = LearnedRanker.single(.content, snapshot: w.snapshot, ranking: RankingConfiguration())
    r.features = features
    r.mean = features.map { _ in 0.1 }
    r.scale = features.map { _ in 0.9 }
    r.weights = features.map { weights[$0]! }
    r.settings = settings
    return r
}()

/// Lists are sorted by score descending, then paper id ascending.
func isSortedByScoreThenID(_ list: RankedList) -> Bool {
    zip(list.items, list.items.dropFirst()).allSatisfy { a, b in a.score > b.score || (a.score == b.score && a.paper < b.paper) }
}
