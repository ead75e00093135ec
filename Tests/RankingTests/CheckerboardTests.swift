import Foundation
import LinearAlgebra
import PaperFeedCore
import Testing
@testable import Ranking

/// Four topics along orthogonal axes (d = 8): every answer has an obvious right top-1.
/// History papers `h-T-i` are 30 days old (outside the window); candidates `c-T-i` were all
/// published 2 days ago, with no observations or impressions, so trend, feedback and freshness
/// are flat and only content (and the skip penalty) can order them.
struct Checkerboard {
    static let topics = ["a", "b", "c", "d"]
    let space: TopicSpace
    let papers: [RankingSnapshot.PaperInfo]

    init() {
        var g = SeededGenerator(seed: 4)
        var ids: [PaperID] = []
        var values: [Float] = []
        var papers: [RankingSnapshot.PaperInfo] = []
        for (t, topic) in Self.topics.enumerated() {
            for (kind, age) in [("h", 30.0), ("c", 2.0)] {
                for i in 0..<4 {
                    let id = PaperID("\(kind)-\(topic)-\(i)")
                    ids.append(id)
                    var v = (0..<8).map { _ in Float(g.nextGaussian() * 0.05) }
                    v[t] += 1
                    values += v
                    papers.append(.init(id: id, publishedAt: ago(age), upvotes: nil))
                }
            }
        }
        space = try! TopicSpace(ids: ids, embeddings: DenseMatrix(rows: ids.count, columns: 8, values: values))
        self.papers = papers
    }

    func ranker(_ c: RankingConfiguration, events: [Event], observations: [UpvoteObservation] = [],
                papers extra: [RankingSnapshot.PaperInfo] = []) throws -> BlendRanker {
        try BlendRanker(configuration: c, space: space,
                        snapshot: RankingSnapshot(asOf: fixtureAsOf, papers: papers + extra, events: events, observations: observations))
    }
}

@Suite struct CheckerboardTests {
    let board = Checkerboard()

    func reads(_ user: UserID, topic: String) -> [Event] {
        (0..<4).map { Event(user: user, paper: PaperID("h-\(topic)-\($0)"), kind: .read, at: ago(Double(5 + $0))) }
    }

    @Test(arguments: Checkerboard.topics) func readerOfOneTopicGetsThatTopicFirst(topic: String) throws {
        let events = reads("reader", topic: topic) + reads("other", topic: topic == "a" ? "b" : "a")
        for c in [RankingConfiguration.only(.content), RankingConfiguration()] {
            let list = try board.ranker(c, events: events).recommend(user: "reader", k: 16).list
            let top4 = list.items.prefix(4).map { String($0.paper.rawValue.dropFirst(2).prefix(1)) }
            #expect(top4 == [topic, topic, topic, topic], "\(top4)")
            #expect(list.items.count == 16)
        }
    }

    @Test func skippedPaperIsDemoted() throws {
        let base = reads("reader", topic: "a")
        let plain = try board.ranker(RankingConfiguration(), events: base).recommend(user: "reader", k: 16).list
        let first = try #require(plain.items.first).paper
        let skip = Event(user: "reader", paper: first, kind: .skip, at: ago(1))
        let skipped = try board.ranker(RankingConfiguration(), events: base + [skip]).recommend(user: "reader", k: 16).list
        let position = try #require(skipped.items.firstIndex { $0.paper == first })
        #expect(position >= 3, "skipped \(first) still at position \(position + 1)")
        #expect(skipped.items[position].signals["skip_penalty"] == -0.3)
        #expect(plain.items.allSatisfy { $0.signals["skip_penalty"] == nil })
    }

    @Test func coldReaderGetsTheTrendiestFreshestPaperFirst() throws {
        // Four extra candidates with different ages and vote counts; "x-hot" is both the newest
        // and the one gaining votes fastest.
        let extra: [(String, Double, Int)] = [("x-hot", 0.5, 90), ("x-mid", 3, 30), ("x-old", 6, 10), ("x-flat", 4, 0)]
        var papers: [RankingSnapshot.PaperInfo] = []
        var observations: [UpvoteObservation] = []
        for (id, age, votes) in extra {
            papers.append(.init(id: PaperID(id), publishedAt: ago(age), upvotes: votes))
            observations.append(UpvoteObservation(paper: PaperID(id), observedAt: ago(0.1), upvotes: votes))
        }
        var values = board.space.embeddings.values
        var ids = board.space.ids
        for (i, _) in extra.enumerated() {
            ids.append(PaperID(extra[i].0))
            values += (0..<8).map { $0 == i ? 1 : 0 }
        }
        let space = try TopicSpace(ids: ids, embeddings: .init(rows: ids.count, columns: 8, values: values))
        let snapshot = RankingSnapshot(asOf: fixtureAsOf, papers: board.papers + papers, events: reads("warm", topic: "b"),
                                       observations: observations)
        for c in [RankingConfiguration(), .only(.trend), .only(.freshness)] {
            let r = try BlendRanker(configuration: c, space: space, snapshot: snapshot)
            for user in ["newcomer", "warm"] as [UserID] where user == "newcomer" || c == RankingConfiguration.only(.trend) {
                let rec = try r.recommend(user: user, k: 3)
                #expect(rec.list.items.first?.paper == "x-hot", "\(user): \(rec.list.items.map(\.paper))")
            }
            #expect(try r.recommend(user: "newcomer", k: 3).coldStart)
        }
    }
}
