import Foundation
import PaperFeedCore
import Testing
@testable import Ranking

/// FeedbackScorer on logs small enough to work by hand.
@Suite struct FeedbackScorerTests {
    func impression(_ u: String, _ p: PaperID, _ position: Int?, _ t: Double = 3) -> Event {
        Event(user: UserID(u), paper: p, kind: .impression, at: ago(t), position: position)
    }
    func read(_ u: String, _ p: PaperID, kind: EventKind = .read) -> Event {
        Event(user: UserID(u), paper: p, kind: kind, at: ago(2))
    }
    func scorer(_ events: [Event], _ c: RankingConfiguration.Feedback = .init()) -> FeedbackScorer {
        FeedbackScorer(configuration: c, snapshot: RankingSnapshot(asOf: fixtureAsOf, papers: [], events: events, observations: []))
    }

    /// u1…u4 see [P, Q]; u5…u8 see [S, R]. Reads: P by u1, u2, u3 (u3 by saving); Q by u1;
    /// S by u5; R by u5. Read rate at 1: (3 + 1)/8 = 0.5; at 2: (1 + 1)/8 = 0.25; so e(2) = 0.5.
    /// E: P 4, Q 4·0.5 = 2, S 4, R 2; m = ΣR/ΣE = 6/12 = 0.5; s = 10.
    @Test func examinationAndBetaPosterior() {
        var events: [Event] = []
        for u in ["u1", "u2", "u3", "u4"] { events += [impression(u, "P", 1), impression(u, "Q", 2)] }
        for u in ["u5", "u6", "u7", "u8"] { events += [impression(u, "S", 1), impression(u, "R", 2)] }
        events += [read("u1", "P"), read("u2", "P"), read("u3", "P", kind: .save), read("u1", "Q"), read("u5", "S"), read("u5", "R")]
        events += [impression("u1", "P", 7, 1)]  // a second impression of the same pair: ignored
        events += [Event(user: "u4", paper: "P", kind: .skip, at: ago(2))]  // a skip is not a read
        let f = scorer(events)
        #expect(f.examination[0] == 1 && f.examination[1] == 0.5)
        #expect(f.globalRate == 0.5)
        #expect(abs(f.score("P") - (3 + 10 * 0.5) / (4 + 10)) < 1e-12)
        #expect(abs(f.score("Q") - (1 + 10 * 0.5) / (2 + 10)) < 1e-12)
        #expect(abs(f.score("S") - (1 + 10 * 0.5) / (4 + 10)) < 1e-12)
        #expect(abs(f.score("R") - (1 + 10 * 0.5) / (2 + 10)) < 1e-12)
        #expect(f.score("never-shown") == 0.5)
        // Q (shown low, read once in 2 expected examinations) beats S (shown on top, once in 4).
        #expect(f.score("Q") > f.score("S"))
    }

    @Test func lowPositionIsNotPunished() {
        // e = [1, 0.25]: A shown at 1 to 4 readers, read once; B shown at 2 to 16 readers, read
        // once. Both have 1 read in 4 expected examinations, so they score the same, although
        // B's raw read rate (1/16) is a quarter of A's (1/4).
        var c = RankingConfiguration.Feedback()
        c.examination = [1, 0.25]
        var events = (0..<4).map { impression("a\($0)", "A", 1) } + (0..<16).map { impression("b\($0)", "B", 2) }
        events += [read("a0", "A"), read("b0", "B")]
        let f = scorer(events, c)
        #expect(f.score("A") == f.score("B"))
        #expect(abs(f.score("A") - (1 + 10 * f.globalRate) / (4 + 10)) < 1e-12)
        #expect(abs(f.globalRate - 2.0 / 8) < 1e-12)
    }

    @Test func malformedPositionsCountAsUnknown() {
        let events = [impression("u", "A", 0), impression("v", "A", -3), impression("w", "B", nil), read("u", "A")]
        let f = scorer(events)
        #expect(f.globalRate == 1.0 / 3)
        #expect(abs(f.score("A") - (1 + 10.0 / 3) / (2 + 10)) < 1e-12)
    }

    @Test func zeroPriorStrengthNeverDividesByZero() {
        var c = RankingConfiguration.Feedback()
        c.priorStrength = 0
        #expect(scorer([], c).score("A") == 0)
    }
}
