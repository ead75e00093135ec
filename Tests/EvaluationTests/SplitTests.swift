import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import Testing

/// Events of three readers over ten days (day d at d·86400 + hour·3600).
private func day(_ d: Double, _ hour: Double = 12) -> Date { Date(timeIntervalSince1970: d * 86_400 + hour * 3_600) }
private func ev(_ u: UserID, _ p: PaperID, _ k: EventKind, _ d: Double, _ h: Double = 12) -> Event {
    Event(user: u, paper: p, kind: k, at: day(d, h))
}
private let events: [Event] = [
    ev("a", "p1", .read, 0), ev("a", "p2", .impression, 1), ev("a", "p2", .read, 2), ev("a", "p3", .save, 3),
    ev("a", "p1", .upvote, 5), ev("a", "p4", .read, 5, 13), ev("a", "p5", .skip, 6),
    ev("b", "p1", .impression, 1), ev("b", "p2", .read, 4), ev("b", "p3", .read, 5), ev("b", "p6", .upvote, 7),
    ev("c", "p7", .read, 9),
]

@Suite struct SplitTests {
    @Test func temporalSplitRespectsCutoffAndHorizon() throws {
        let s = try EventSplit.temporal(events: events, cutoff: day(5, 0), horizon: 2 * 86_400)
        try s.validate()
        #expect(s.train.allSatisfy { $0.at < day(5, 0) })
        #expect(s.test.allSatisfy { $0.at >= day(5, 0) && $0.at < day(7, 0) })
        // a's upvote of p1 (already read in training) is dropped from test; b's p6 (day 7) is outside the horizon
        #expect(!s.test.contains { $0.user == "a" && $0.paper == "p1" })
        #expect(Set(s.test.map(\.paper)) == ["p3", "p4", "p5"])
        #expect(s.testReaders == ["a", "b"])
        #expect(s.qrels().grade(user: "a", paper: "p5") == 0)
        #expect(s.qrels().grade(user: "a", paper: "p4") == 1)
    }

    @Test func temporalWithoutHorizonKeepsEverythingAfter() throws {
        let s = try EventSplit.temporal(events: events, cutoff: day(5, 0))
        try s.validate()
        #expect(s.train.count + s.test.count == events.count - 1)  // the repeated positive a/p1
        #expect(s.test.contains { $0.paper == "p7" })
    }

    @Test func replayDaysCutAtEachDayStart() throws {
        let days = try EventSplit.replayDays(events: events, first: day(4, 7), last: day(6, 23))
        #expect(days.count == 3)
        for (i, s) in days.enumerated() {
            try s.validate()
            #expect(s.cutoff == day(Double(4 + i), 0))
            #expect(s.end == day(Double(5 + i), 0))
            #expect(s.train.allSatisfy { $0.at < s.cutoff })
            #expect(s.test.allSatisfy { $0.at >= s.cutoff && $0.at < s.end! })
        }
        #expect(days[0].test.map(\.paper) == ["p2"])
        #expect(Set(days[1].test.map(\.paper)) == ["p3", "p4"])  // a/p1 upvote dropped (read on day 0)
    }

    @Test func lastNHoldsOutEachReadersLastPositives() throws {
        let s = try EventSplit.lastN(events: events, n: 1)
        try s.validate()
        #expect(s.readerCutoffs["a"] == day(6 - 1, 13))  // p4 read on day 5 13:00 is a's last new positive
        #expect(s.test.filter { $0.user == "a" && $0.kind != .skip }.map(\.paper) == ["p4"])
        #expect(s.test.filter { $0.user == "b" }.map(\.paper) == ["p6"])
        #expect(s.readerCutoffs["c"] == nil)  // one positive: stays in training
        #expect(s.train.contains { $0.user == "c" })
        for e in s.train { #expect(e.at < s.cutoff(for: e.user)) }
    }

    @Test func validateCatchesLeakage() {
        let late = EventSplit(cutoff: day(5, 0), train: [ev("a", "p1", .read, 6)], test: [])
        #expect(throws: SplitError.self) { try late.validate() }
        let both = EventSplit(cutoff: day(5, 0), train: [ev("a", "p1", .read, 1)], test: [ev("a", "p1", .save, 6)])
        #expect(throws: SplitError.positiveInBoth(user: "a", paper: "p1")) { try both.validate() }
        let outside = EventSplit(cutoff: day(5, 0), end: day(6, 0), train: [], test: [ev("a", "p1", .read, 7)])
        #expect(throws: SplitError.self) { try outside.validate() }
        #expect(throws: SplitError.self) { try EventSplit.lastN(events: events, n: 0) }
    }

    @Test func ctrSplitInvariants() throws {
        let ok = CTRSplit(name: "t", itemCount: 5, train: [[0, 1], [2], [3]], test: [[2, 4], [], [0]])
        try ok.validate()
        #expect(ok.evaluatedReaders == [0, 2])
        #expect(ok.qrels.users == ["t:u0", "t:u2"])
        #expect(ok.qrels.grade(user: "t:u0", paper: "t:4") == 1)
        let overlap = CTRSplit(name: "t", itemCount: 5, train: [[0, 1]], test: [[1]])
        #expect(throws: SplitError.positiveInBoth(user: "t:u0", paper: "t:1")) { try overlap.validate() }
        #expect(throws: SplitError.self) { try CTRSplit(name: "t", itemCount: 2, train: [[5]], test: [[]]).validate() }
        #expect(throws: SplitError.self) { try CTRSplit(name: "t", itemCount: 2, train: [[0]], test: []).validate() }
    }

    @Test func ctrValidationSplitUsesTrainOnly() throws {
        let full = CTRSplit(name: "t", itemCount: 20, train: [Array(0..<6), [7], Array(8..<11)], test: [[12], [13], [14]])
        let v = try full.validationSplit(holdout: 2, seed: 3)
        try v.validate()
        #expect(v.test[0].count == 2 && v.train[0].count == 4)
        #expect(v.test[1].isEmpty && v.train[1] == [7])
        #expect(Set(v.train[0] + v.test[0]) == Set(0..<6))
        #expect(v.test.allSatisfy { $0.allSatisfy { $0 < 12 } })  // never a published test item
        #expect(try full.validationSplit(holdout: 2, seed: 3) == v)
    }
}

@Suite struct BaselineTests {
    let candidates: [PaperID] = (0..<50).map { PaperID("p\($0)") }

    @Test func randomIsDeterministicForASeed() {
        let users: [UserID] = ["a", "b", "c"]
        let exclude: [UserID: Set<PaperID>] = ["a": ["p1", "p2"]]
        let r1 = RandomRanker(seed: 9).rank(users: users, candidates: candidates, exclude: exclude, k: 10)
        let r2 = RandomRanker(seed: 9).rank(users: users.reversed(), candidates: candidates, exclude: exclude, k: 10)
        #expect(r1 == r2.reversed())
        let r3 = RandomRanker(seed: 10).rank(users: users, candidates: candidates, exclude: exclude, k: 10)
        #expect(r1 != r3)
        #expect(r1.allSatisfy { $0.items.count == 10 && Set($0.items.map(\.paper)).count == 10 })
        #expect(!r1[0].items.contains { $0.paper == "p1" || $0.paper == "p2" })
        #expect(r1[0].items.map(\.score) == (1...10).reversed().map(Double.init))
    }

    @Test func mostRecentAndMostUpvoted() {
        let papers = (0..<5).map { Paper(id: PaperID("p\($0)"), title: "", abstract: "", publishedAt: day(Double($0)), source: "t") }
        let recent = Baselines.mostRecent(papers).rank(users: ["a"], candidates: papers.map(\.id), exclude: ["a": ["p4"]], k: 2)
        #expect(recent[0].items.map(\.paper) == ["p3", "p2"])
        let obs = [UpvoteObservation(paper: "p0", observedAt: day(1), upvotes: 3), UpvoteObservation(paper: "p0", observedAt: day(2), upvotes: 9),
                   UpvoteObservation(paper: "p1", observedAt: day(2), upvotes: 5)]
        let up = Baselines.mostUpvoted(obs).rank(users: ["a"], candidates: papers.map(\.id), exclude: [:], k: 3)
        #expect(up[0].items.map(\.paper) == ["p0", "p1", "p2"])
        #expect(up[0].items.map(\.score) == [9, 5, 0])
    }
}
