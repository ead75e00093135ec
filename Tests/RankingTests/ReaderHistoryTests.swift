import Foundation
import LinearAlgebra
import PaperFeedCore
import Testing
@testable import Ranking

@Suite struct ReaderHistoryTests {
    let space = try! TopicSpace(ids: ["b", "a", "c", "z"],
                                embeddings: DenseMatrix(rows: 4, columns: 2, values: [0, 2, 3, 0, 1, 1, .nan, 1]))

    @Test func spaceIsSortedUnitAndSanitized() {
        #expect(space.ids == ["a", "b", "c", "z"])
        #expect(Array(space.vector("a")!) == [1, 0])
        #expect(Array(space.vector("b")!) == [0, 1])
        #expect(abs(Double(space.vector("c")![4]) - 0.5.squareRoot()) < 1e-7)
        #expect(Array(space.vector("z")!) == [0, 0])  // a NaN row matches nothing
    }

    /// read a 30 days ago (weight 1 · 0.5^(30/30) = 0.5) and save b 15 days ago
    /// (1.5 · 0.5^(15/30) ≈ 1.0607), half-life 30: profile ∝ (0.5, 1.0607).
    @Test func twoEventsWithDecay() {
        let events = [
            Event(user: "u", paper: "a", kind: .read, at: ago(30)), Event(user: "u", paper: "b", kind: .save, at: ago(15)),
            Event(user: "u", paper: "c", kind: .skip, at: ago(1)), Event(user: "u", paper: "c", kind: .impression, at: ago(1)),
        ]
        var c = RankingConfiguration.Content()
        c.skip = 0
        c.unreadImpression = 0
        let h = ReaderHistory(user: "u", events: events, space: space, asOf: fixtureAsOf, configuration: c)
        let wa = 1 * pow(0.5, 30.0 / 30), wb = 1.5 * pow(0.5, 15.0 / 30)
        let norm = (wa * wa + wb * wb).squareRoot()
        #expect(abs(Double(h.profile[0]) - wa / norm) < 1e-6)
        #expect(abs(Double(h.profile[1]) - wb / norm) < 1e-6)
        #expect(h.positives.map(\.paper) == ["b", "a"])
        #expect(abs(Double(h.positives[0].weight) - wb) < 1e-6)
        #expect(h.read == ["a", "b"] && h.skipped == ["c"] && !h.isCold)
        // The defaults are positive-only: the same profile.
        let byDefault = ReaderHistory(user: "u", events: events, space: space, asOf: fixtureAsOf, configuration: .init())
        #expect(byDefault.profile == h.profile)
        // With Rocchio's negative weights, c (direction (1, 1)/√2) pulls the profile away.
        var negative = RankingConfiguration.Content()
        negative.skip = -0.5
        negative.unreadImpression = -0.1
        let withSkip = ReaderHistory(user: "u", events: events, space: space, asOf: fixtureAsOf, configuration: negative)
        let wc = -0.5 * pow(0.5, 1.0 / 30) - 0.1 * pow(0.5, 1.0 / 30)
        let x = wa + wc / 2.0.squareRoot(), y = wb + wc / 2.0.squareRoot()
        #expect(abs(Double(withSkip.profile[0]) - x / (x * x + y * y).squareRoot()) < 1e-6)
        // Explanations: contribution = weight · cos(history paper, candidate).
        let because = h.explain(candidateRow: space.index["c"]!, space: space, limit: 5)
        #expect(because.map(\.paper) == ["b", "a"])
        #expect(abs(because[0].contribution - wb / 2.0.squareRoot()) < 1e-6)
    }

    @Test func coldAndNonFinite() {
        #expect(ReaderHistory(user: "u", events: [], space: space, asOf: fixtureAsOf, configuration: .init()).isCold)
        let onlyZ = [Event(user: "u", paper: "z", kind: .read, at: ago(1)), Event(user: "u", paper: "nope", kind: .read, at: ago(1))]
        let h = ReaderHistory(user: "u", events: onlyZ, space: space, asOf: fixtureAsOf, configuration: .init())
        #expect(h.isCold && h.read == ["z", "nope"])
        let badSeed = ReaderHistory(user: "u", events: [], space: space, asOf: fixtureAsOf, configuration: .init(), seed: [.nan, 1])
        #expect(badSeed.isCold && badSeed.profile.allSatisfy { $0 == 0 })
        let seeded = ReaderHistory(user: "u", events: [], space: space, asOf: fixtureAsOf, configuration: .init(), seed: [0, 3])
        #expect(seeded.profile == [0, 1] && !seeded.isCold)
    }
}
