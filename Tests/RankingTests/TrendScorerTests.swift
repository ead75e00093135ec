import Foundation
import PaperFeedCore
import Testing
@testable import Ranking

/// TrendScorer against the formula worked by hand (W = 7, α = 2, h = 7 days, the defaults).
@Suite struct TrendScorerTests {
    func obs(_ paper: PaperID, _ daysAgo: Double, _ votes: Int) -> UpvoteObservation {
        UpvoteObservation(paper: paper, observedAt: ago(daysAgo), upvotes: votes)
    }

    @Test func handWorkedValues() {
        let papers: [RankingSnapshot.PaperInfo] = [
            .init(id: "A", publishedAt: ago(10), upvotes: nil), .init(id: "B", publishedAt: ago(2), upvotes: nil),
            .init(id: "C", publishedAt: ago(3), upvotes: nil), .init(id: "D", publishedAt: ago(1), upvotes: nil),
        ]
        let observations = [
            // A: the latest observation at or before asOf − 7 d is the one 8 days ago (40 votes).
            obs("A", 9, 20), obs("A", 8, 40), obs("A", 1, 100),
            // B: one observation (and one after asOf, ignored).
            obs("B", 1, 12), obs("B", -0.1, 500),
            // C: two observations, both inside the window: all 20 votes over its 2.5 days of age.
            obs("C", 2, 5), obs("C", 0.5, 20),
            // D: none.
        ]
        let t = TrendScorer(configuration: .init(), snapshot: RankingSnapshot(asOf: fixtureAsOf, papers: papers, events: [], observations: observations))
        let mu = (60.0 + 12 + 20) / (7 + 1 + 2.5)
        #expect(abs(t.priorRate - mu) < 1e-12)
        let expected: [(PaperID, Double)] = [
            ("A", (60 + 2 * mu) / (7 + 2) * pow(0.5, 10.0 / 7)),
            ("B", (12 + 2 * mu) / (1 + 2) * pow(0.5, 2.0 / 7)),
            ("C", (20 + 2 * mu) / (2.5 + 2) * pow(0.5, 3.0 / 7)),
            ("D", mu * pow(0.5, 1.0 / 7)),
        ]
        for (id, value) in expected {
            let p = papers.first { $0.id == id }!
            #expect(abs(t.score(id, publishedAt: p.publishedAt) - value) < 1e-9, "\(id)")
        }
        #expect(t.isObserved("A") && !t.isObserved("D"))
        #expect(t.score("E", publishedAt: nil) == mu)  // undated, unobserved: the prior, no decay
    }

    @Test func threeVotesInAnHourDoNotOutrankThreeHundredInTenDays() {
        // X: 3 votes in its first hour; Y: 300 votes over 10 days; Z: 250 over 100 days, so μ ≈ 5/day.
        let hour = 1.0 / 24
        let papers: [RankingSnapshot.PaperInfo] = [
            .init(id: "X", publishedAt: ago(2 * hour), upvotes: 3), .init(id: "Y", publishedAt: ago(10 + hour), upvotes: 300),
            .init(id: "Z", publishedAt: ago(100 + hour), upvotes: 250),
        ]
        let observations = [obs("X", hour, 3), obs("Y", hour, 300), obs("Z", hour, 250)]
        let t = TrendScorer(configuration: .init(), snapshot: RankingSnapshot(asOf: fixtureAsOf, papers: papers, events: [], observations: observations))
        let mu = 553 / (hour + 10 + 100)
        #expect(abs(t.priorRate - mu) < 1e-9 && abs(mu - 5) < 0.05)
        #expect(abs(t.rate("X") - (3 + 2 * mu) / (hour + 2)) < 1e-9)  // ≈ 6.4
        #expect(abs(t.rate("Y") - (300 + 2 * mu) / (10 + 2)) < 1e-9)  // ≈ 25.8
        #expect(t.rate("Y") > 3 * t.rate("X"))
        #expect(t.score("Y", publishedAt: papers[1].publishedAt) > t.score("X", publishedAt: papers[0].publishedAt))
    }

    @Test func freshnessHalvesEveryHalfLife() {
        #expect(freshness(publishedAt: ago(7), asOf: fixtureAsOf, halfLifeDays: 7) == 0.5)
        #expect(freshness(publishedAt: ago(-1), asOf: fixtureAsOf, halfLifeDays: 7) == 1)  // future: age 0
        #expect(freshness(publishedAt: nil, asOf: fixtureAsOf, halfLifeDays: 7) == 1)
    }

    @Test func groupedCoreMatchesSnapshotPath() {
        // The simulator's path (grouped once, cut at asOf by binary search) equals the snapshot's.
        let world = SyntheticWorld()
        var published: [PaperID: Date] = [:]
        for p in world.papers { if let at = p.publishedAt { published[p.id] = at } }
        let sorted = world.observations.sorted { $0.paper == $1.paper ? $0.observedAt < $1.observedAt : $0.paper < $1.paper }
        let groups = Dictionary(grouping: sorted, by: \.paper).keys.sorted().map { id in sorted.filter { $0.paper == id }[...] }
        for asOf in [ago(3), fixtureAsOf] {
            let a = TrendScorer(configuration: .init(), asOf: asOf, published: published, observations: groups)
            let b = TrendScorer(configuration: .init(), snapshot: RankingSnapshot(asOf: asOf, papers: world.papers, events: [], observations: world.observations))
            #expect(a.priorRate == b.priorRate)
            for p in world.papers where (p.publishedAt ?? .distantPast) < asOf {
                #expect(a.score(p.id, publishedAt: p.publishedAt) == b.score(p.id, publishedAt: p.publishedAt))
            }
        }
    }
}
