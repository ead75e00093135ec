import Foundation
import PaperFeedCore
import Testing
@testable import Ranking

/// The simulated world: paper appeal, the feed window, simulated upvote counts and the
/// logging policy's view of them (no look-ahead).
@Suite struct ReaderSimulatorWorldTests {
    static let catalogue = ReaderSimulatorTests.catalogue
    static let firstDay = fixtureAsOf.addingTimeInterval(-10 * day)
    static func dayIndex(_ t: Date) -> Int { Int((t.timeIntervalSince(firstDay) / day).rounded(.down)) }
    static func dayStart(_ d: Int) -> Date { firstDay.addingTimeInterval(Double(d) * day) }

    /// Mean over positions 1–10 of (read rate of papers with appeal > 0.5) − (read rate of
    /// papers with appeal < −0.5), each rate over the impressions at that position.
    static func appealGap(_ c: ReaderSimulator.Configuration) -> Double {
        let o = catalogue.run(c)
        var shown = [[Int]](repeating: [0, 0], count: 11), read = shown
        for e in o.events {
            guard let p = e.position, p <= 10 else { continue }
            let a = ReaderSimulator.appeal(e.paper, seed: c.seed)
            guard abs(a) > 0.5 else { continue }
            let group = a > 0 ? 0 : 1
            if e.kind == .impression { shown[p][group] += 1 }
            if e.kind == .read { read[p][group] += 1 }
        }
        let gaps = (1...10).map { p in
            Double(read[p][0]) / Double(max(shown[p][0], 1)) - Double(read[p][1]) / Double(max(shown[p][1], 1))
        }
        return gaps.reduce(0, +) / 10
    }

    @Test func appealIsDeterministicAndStandardNormal() {
        let values = (0..<4000).map { ReaderSimulator.appeal(PaperID("2503.\($0)"), seed: 1) }
        let mean = values.reduce(0, +) / 4000
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4000
        #expect(abs(mean) < 0.06 && abs(variance - 1) < 0.1, "mean \(mean), variance \(variance)")
        #expect(ReaderSimulator.appeal(PaperID("2503.1"), seed: 1) == values[1])
        #expect(ReaderSimulator.appeal(PaperID("2503.1"), seed: 2) != values[1])
    }

    @Test func appealIsVisibleInTheLoggedReadRate() {
        var c = ReaderSimulatorTests.configuration()
        let withAppeal = Self.appealGap(c)
        c.appealWeight = 0
        let without = Self.appealGap(c)
        print("simulator: read-rate gap, appeal > 0.5 vs < -0.5, positions 1-10: \(withAppeal) (appeal weight 0: \(without))")
        #expect(withAppeal > 0.03, "read-rate gap high vs low appeal: \(withAppeal)")
        #expect(withAppeal > without + 0.025, "gap with appeal \(withAppeal), without \(without)")
    }

    /// A share of readers sign up during the simulation: none of their events comes before
    /// their sign-up day, so some readers have a short history on later days (cold start).
    @Test func newReadersHaveNoEventBeforeTheirSignUpDay() {
        var c = ReaderSimulatorTests.configuration()
        c.newReaderShare = 0.5
        let readers = ReaderSimulator(configuration: c).makeReaders(space: Self.catalogue.space)
        let late = readers.filter { $0.joinDay > 0 }
        #expect(late.count > readers.count / 5 && late.count < readers.count * 4 / 5, "\(late.count) of \(readers.count) sign up late")
        #expect(readers.allSatisfy { $0.joinDay >= 0 && $0.joinDay < c.days })
        let join = Dictionary(uniqueKeysWithValues: readers.map { ($0.id, $0.joinDay) })
        let o = Self.catalogue.run(c)
        #expect(o.events.allSatisfy { Self.dayIndex($0.at) >= join[$0.user]! })
        // Interests and activity do not depend on the sign-up draw.
        var none = c
        none.newReaderShare = 0
        let base = ReaderSimulator(configuration: none).makeReaders(space: Self.catalogue.space)
        #expect(zip(base, readers).allSatisfy { $0.interests == $1.interests && $0.activity == $1.activity })
        #expect(base.allSatisfy { $0.joinDay == 0 })
    }

    @Test func spreadsReportTheTermsOfTheReadProbability() {
        var c = ReaderSimulatorTests.configuration()
        c.appealWeight = 0.1
        let o = Self.catalogue.run(c)
        #expect(abs(o.appealSpread - 0.1) < 0.015, "appeal spread \(o.appealSpread)")
        // Random unit vectors in 16 dimensions: cos has sd ≈ 1/4; the max over 1–3 interests a bit less.
        #expect(o.contentSpread > 0.1 && o.contentSpread < 0.3, "content spread \(o.contentSpread)")
    }

    @Test func feedWindowListsAPaperOnTheDaysAfterItsPublication() {
        let published = Dictionary(uniqueKeysWithValues: Self.catalogue.papers.map { ($0.id, $0.publishedAt!) })
        for window in [1, 3] {
            var c = ReaderSimulatorTests.configuration()
            c.feedWindowDays = window
            let o = Self.catalogue.run(c)
            var days: [PaperID: Set<Int>] = [:]
            for e in o.events where e.kind == .impression {
                let d = Self.dayIndex(e.at)
                let at = published[e.paper]!
                // Listed on day d iff published in (T_d − W days, T_d]: never before publication.
                #expect(at <= Self.dayStart(d) && at > Self.dayStart(d).addingTimeInterval(-Double(window) * day))
                #expect(at < e.at)
                days[e.paper, default: []].insert(d)
            }
            let most = days.values.map(\.count).max() ?? 0
            #expect(most == window, "window \(window): a paper shown on at most \(most) days")
            // Hidden relevance: one judgment per (reader, paper), only for papers listed some day.
            let pairs = o.qrels.map { "\($0.user) \($0.paper)" }
            #expect(Set(pairs).count == pairs.count)
            #expect(o.qrels.allSatisfy { Self.dayIndex(published[$0.paper]!) < 9 })
        }
    }

    @Test func observationsAreCumulativeCountsOfEarlierUpvotes() {
        let c = ReaderSimulatorTests.configuration()
        let o = Self.catalogue.run(c)
        #expect(!o.observations.isEmpty && o.events.contains { $0.kind == .upvote })
        let upvotes = Dictionary(grouping: o.events.filter { $0.kind == .upvote }, by: \.paper)
        let real = Dictionary(grouping: Self.catalogue.observations, by: \.paper)
        let stored = Dictionary(uniqueKeysWithValues: Self.catalogue.papers.map { ($0.id, $0.upvotes ?? 0) })
        for obs in o.observations {
            let known = real[obs.paper]?.filter { $0.observedAt < obs.observedAt }.max { $0.observedAt < $1.observedAt }?.upvotes
                ?? stored[obs.paper]!
            let simulated = upvotes[obs.paper]?.filter { $0.at < obs.observedAt }.count ?? 0
            #expect(obs.upvotes == known + simulated, "\(obs.paper) at \(obs.observedAt)")
            #expect(obs.observedAt == Self.dayStart(Self.dayIndex(obs.observedAt)).addingTimeInterval(day - 1))
        }
        for (_, series) in Dictionary(grouping: o.observations, by: \.paper) {
            let counts = series.sorted { $0.observedAt < $1.observedAt }.map(\.upvotes)
            #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 <= $1 })
        }
        // Every upvote is counted by the observation at the end of its day.
        for (paper, events) in upvotes {
            let last = events.map(\.at).max()!
            #expect(o.observations.contains { $0.paper == paper && $0.observedAt > last && Self.dayIndex($0.observedAt) == Self.dayIndex(last) })
        }
    }

    @Test func loggingPolicyUsesOnlyObservationsBeforeTheDay() throws {
        let c = ReaderSimulatorTests.configuration()
        let base = Self.catalogue.run(c)
        // A huge count observed one hour into day 4 for a paper listed on days 4–6.
        let paper = PaperID("2503.03000")
        let extra = UpvoteObservation(paper: paper, observedAt: Self.dayStart(4).addingTimeInterval(3600), upvotes: 10_000)
        let changed = Self.catalogue.run(c, extra: [extra])
        let cut = Self.dayStart(5)
        let before = { (o: ReaderSimulator.Output) in o.events.filter { $0.at < cut } }
        #expect(before(base) == before(changed))
        #expect(base.observations.filter { $0.observedAt < Self.dayStart(4) } == changed.observations.filter { $0.observedAt < Self.dayStart(4) })
        // From day 5 on the policy sees it: the paper leads every greedy list.
        let day5 = changed.events.filter { $0.kind == .impression && Self.dayIndex($0.at) == 5 && $0.position == 1 }
        #expect(!day5.isEmpty && day5.filter { $0.paper == paper }.count * 2 > day5.count)
        #expect(base.events.filter { $0.at >= cut } != changed.events.filter { $0.at >= cut })
    }
}
