import Foundation
import PaperFeedCore
import Testing
@testable import Ranking

/// Properties every ranker must have, checked on the seeded synthetic world for the default
/// blend, each single-signal ranker and the blend with MMR.
@Suite struct ConformanceTests {
    static let world = SyntheticWorld()
    static let names = conformanceConfigurations().map(\.name)

    func ranker(_ name: String) throws -> BlendRanker {
        let c = try #require(conformanceConfigurations().first { $0.name == name }).configuration
        return try BlendRanker(configuration: c, space: Self.world.space, snapshot: Self.world.snapshot,
                               learned: name.hasPrefix("learned") ? conformanceLearned : nil)
    }

    @Test(arguments: names) func batchEqualsSingleReader(name: String) throws {
        print("SyntheticWorld seed \(SyntheticWorld.seed)")
        let r = try ranker(name)
        let batch = try r.rank(users: Self.world.users, k: 10)
        #expect(batch.count == Self.world.users.count)
        for (user, list) in zip(Self.world.users, batch) {
            #expect(list.user == user)
            let single = try r.recommend(user: user, k: 10).list
            #expect(single == list, "\(name): \(user) differs between rank and recommend")
        }
    }

    @Test(arguments: names) func readAndOutOfWindowPapersNeverAppear(name: String) throws {
        let r = try ranker(name)
        let candidates = Self.world.candidates()
        #expect(Set(r.candidateIDs) == candidates)
        for list in try r.rank(users: Self.world.users, k: 1000) {
            let read = Self.world.readBefore(list.user)
            for item in list.items {
                #expect(!read.contains(item.paper), "\(name): \(list.user) was recommended \(item.paper), already read")
                #expect(candidates.contains(item.paper), "\(name): \(item.paper) is not a candidate")
            }
        }
    }

    @Test(arguments: names) func sortedByScoreThenPaperID(name: String) throws {
        // Required of every ranker; MMR lists qualify too, since their score is the MMR value.
        for list in try ranker(name).rank(users: Self.world.users, k: 50) {
            #expect(isSortedByScoreThenID(list), "\(name): \(list.user) not sorted")
            #expect(Set(list.items.map(\.paper)).count == list.items.count)
            for item in list.items {
                #expect(item.score.isFinite)
                let sum = item.signals.values.reduce(0, +)
                #expect(abs(sum - item.score) < 1e-5, "\(name): signals add up to \(sum), score \(item.score)")
            }
        }
    }

    @Test(arguments: names) func largeKReturnsEveryOpenCandidate(name: String) throws {
        let r = try ranker(name)
        let candidates = Self.world.candidates()
        for list in try r.rank(users: Self.world.users, k: 10_000) {
            #expect(Set(list.items.map(\.paper)) == candidates.subtracting(Self.world.readBefore(list.user)))
        }
        for list in try r.rank(users: Self.world.users, k: 0) { #expect(list.items.isEmpty) }
    }

    @Test(arguments: names) func sameInputsSameOutput(name: String) throws {
        let a = try ranker(name).rank(users: Self.world.users, k: 20)
        let b = try ranker(name).rank(users: Self.world.users, k: 20)
        #expect(a == b)
        let again = SyntheticWorld()
        let c = try BlendRanker(configuration: ranker(name).configuration, space: again.space, snapshot: again.snapshot,
                                learned: ranker(name).learned)
        #expect(try c.rank(users: again.users, k: 20) == a)
    }

    @Test(arguments: names) func threadCountDoesNotChangeLists(name: String) throws {
        var r = try ranker(name)
        r.blockRows = 8  // several blocks, so two workers really split the readers
        let one = try r.rank(users: Self.world.users, k: 20, threads: 1)
        let two = try r.rank(users: Self.world.users, k: 20, threads: 2)
        #expect(one == two)
        for user in Self.world.users.prefix(5) {
            #expect(try r.recommend(user: user, k: 20).list == one[Self.world.users.firstIndex(of: user)!])
        }
    }

    @Test func coldReadersAreFlaggedAndGetItemSignalsOnly() throws {
        let r = try ranker("blend")
        for user in ["u00", "zz-ghost"] as [UserID] {
            let rec = try r.recommend(user: user, k: 5)
            #expect(rec.coldStart)
            #expect(rec.list.items.count == 5)
            #expect(rec.list.items.allSatisfy { $0.signals["content"] == 0 })
        }
    }
}
