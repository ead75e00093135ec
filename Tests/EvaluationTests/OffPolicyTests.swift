import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import Testing

/// A synthetic log with known truth: per list, K = 5 candidates shown in a uniformly random
/// order (first L = 3 positions), so every (paper, position) has propensity 1/K. Click model
/// P(click) = attraction(candidate j) · examination(position).
struct SyntheticLog {
    static let attraction = [0.5, 0.3, 0.2, 0.1, 0.05]
    static let examination = [1.0, 0.6, 0.4]
    var events: [Event] = []
    /// The new ranker: candidates 0, 1, 2 in that order, for every list.
    var newLists: [String: [PaperID]] = [:]
    /// True clicks per slot of the new ranker: (1/L) Σ_pos attraction[pos] · examination[pos].
    static var truth: Double { (0..<3).map { attraction[$0] * examination[$0] }.reduce(0, +) / 3 }

    init(lists: Int, seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        for l in 0..<lists {
            let list = "L\(l)", user = UserID("u\(l % 500)")
            let candidates = (0..<5).map { PaperID("l\(l)-c\($0)") }
            var order = Array(0..<5)
            order.shuffle(using: &g)
            for pos in 0..<3 {
                let j = order[pos]
                events.append(Event(user: user, paper: candidates[j], kind: .impression, at: t0, position: pos + 1,
                                    list: list, propensity: 1.0 / 5))
                if g.nextUnit() < Self.attraction[j] * Self.examination[pos] {
                    events.append(Event(user: user, paper: candidates[j], kind: .read, at: t0.addingTimeInterval(5),
                                        list: list))
                }
            }
            newLists[list] = Array(candidates.prefix(3))
        }
    }
}

@Suite struct OffPolicyTests {
    @Test func ipsIsWithinThreeStandardErrorsOfTheTruth() throws {
        for seed in [UInt64(1), 2, 3] {
            print("off-policy seed \(seed)")
            let log = SyntheticLog(lists: 4_000, seed: seed)
            let e = try OffPolicy.estimate(events: log.events, newLists: log.newLists,
                                           options: OffPolicyOptions(bootstrapResamples: 300, seed: seed))
            #expect(e.impressions == 12_000 && e.skippedImpressions == 0)
            #expect(abs(e.ips - SyntheticLog.truth) <= 3 * e.ipsStandardError, "seed \(seed): \(e.ips) vs \(SyntheticLog.truth) ± \(e.ipsStandardError)")
            #expect(abs(e.snips - SyntheticLog.truth) <= 0.03, "seed \(seed): snips \(e.snips)")
            #expect(e.ipsCILow < e.ips && e.ips < e.ipsCIHigh && e.snipsCILow < e.snips && e.snips < e.snipsCIHigh)
            // All weights are 0 or K = 5, so ESS = (5m)² / (25m) = m matched impressions.
            #expect(abs(e.effectiveSampleSize - Double(e.matched)) < 1e-6)
            #expect(e.trustworthy && e.reason == nil)
            // Deterministic for a seed.
            #expect(try OffPolicy.estimate(events: log.events, newLists: log.newLists,
                                           options: OffPolicyOptions(bootstrapResamples: 300, seed: seed)) == e)
        }
    }

    @Test func essFormula() {
        #expect(OffPolicy.effectiveSampleSize(weights: [1, 2, 3, 0]) == 36.0 / 14)
        #expect(OffPolicy.effectiveSampleSize(weights: [4, 4, 4]) == 3)
        #expect(OffPolicy.effectiveSampleSize(weights: [0, 0]) == 0)
    }

    @Test func clickMatchingAndTrustworthiness() throws {
        let t = { (s: Double) in Date(timeIntervalSince1970: s) }
        let events = [
            Event(user: "u", paper: "a", kind: .impression, at: t(10), position: 1, list: "L1", propensity: 0.5),
            Event(user: "u", paper: "a", kind: .read, at: t(20), list: "L1"),  // click
            Event(user: "u", paper: "b", kind: .impression, at: t(10), position: 2, list: "L1", propensity: 0.25),
            Event(user: "u", paper: "b", kind: .read, at: t(5)),  // before the impression: no click
            Event(user: "u", paper: "c", kind: .impression, at: t(10), position: 1, list: "L2", propensity: 0.5),
            Event(user: "u", paper: "c", kind: .read, at: t(30), list: "L9"),  // other list: no click
            Event(user: "v", paper: "d", kind: .impression, at: t(10), position: 1, propensity: 0.2),
            Event(user: "v", paper: "d", kind: .read, at: t(11)),  // no list ids: click; context = reader
            Event(user: "v", paper: "e", kind: .impression, at: t(10)),  // no propensity: skipped
        ]
        let newLists: [String: [PaperID]] = ["L1": ["a", "b"], "L2": ["x"], "v": ["d"]]
        let e = try OffPolicy.estimate(events: events, newLists: newLists, options: OffPolicyOptions(bootstrapResamples: 50))
        #expect(e.impressions == 4 && e.matched == 3 && e.clicks == 2 && e.skippedImpressions == 1)
        // Weights [2, 4, 0, 5], clicks [1, 0, 0, 1].
        #expect(abs(e.ips - (2 + 5) / 4.0) < 1e-12)
        #expect(abs(e.snips - (2 + 5) / 11.0) < 1e-12)
        #expect(abs(e.effectiveSampleSize - 121.0 / 45) < 1e-12)
        #expect(!e.trustworthy && e.reason?.contains("below") == true)
        let bad = [Event(user: "u", paper: "a", kind: .impression, at: t(0), position: 1, propensity: 0)]
        #expect(throws: EvaluationError.self) { try OffPolicy.estimate(events: bad, newLists: [:]) }
    }
}
