import Foundation
import LinearAlgebra
import PaperFeedCore
import Testing
@testable import Ranking

/// A catalogue for the simulator: `perDay` papers on each of `days` days before fixtureAsOf,
/// random unit embeddings (d = 16), upvotes observed twice.
struct SimulatorCatalogue: Sendable {
    let space: TopicSpace
    let papers: [RankingSnapshot.PaperInfo]
    let observations: [UpvoteObservation]

    init(perDay: Int, days: Int, seed: UInt64 = 5) {
        var g = SeededGenerator(seed: seed)
        var ids: [PaperID] = [], values: [Float] = []
        var papers: [RankingSnapshot.PaperInfo] = [], observations: [UpvoteObservation] = []
        for dayIndex in 0..<days {
            for i in 0..<perDay {
                let id = PaperID(String(format: "2503.%02d%03d", dayIndex, i))
                ids.append(id)
                values += (0..<16).map { _ in Float(g.nextGaussian()) }
                let published = ago(Double(days - dayIndex) - g.nextUnit() * 0.9)
                let votes = Int(g.next() % 60) * Int(g.next() % 4)
                papers.append(.init(id: id, publishedAt: published, upvotes: votes))
                observations.append(UpvoteObservation(paper: id, observedAt: published.addingTimeInterval(0.3 * day), upvotes: votes / 3))
                observations.append(UpvoteObservation(paper: id, observedAt: published.addingTimeInterval(3 * day), upvotes: votes))
            }
        }
        space = try! TopicSpace(ids: ids, embeddings: DenseMatrix(rows: ids.count, columns: 16, values: values))
        self.papers = papers
        self.observations = observations
    }

    func run(_ c: ReaderSimulator.Configuration, extra: [UpvoteObservation] = []) -> ReaderSimulator.Output {
        ReaderSimulator(configuration: c).run(space: space, papers: papers, observations: observations + extra, end: fixtureAsOf)
    }
}

@Suite struct ReaderSimulatorTests {
    static let catalogue = SimulatorCatalogue(perDay: 80, days: 10)
    static func configuration(seed: UInt64 = 1) -> ReaderSimulator.Configuration {
        var c = ReaderSimulator.Configuration()
        c.readers = 60
        c.days = 10
        c.seed = seed
        return c
    }

    func bytes(_ o: ReaderSimulator.Output) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return try e.encode(o.events) + Data(o.qrels.map { "\($0.user) \($0.paper) \($0.grade)\n" }.joined().utf8) + e.encode(o.observations)
    }

    @Test func sameSeedSameBytesDifferentSeedDifferent() throws {
        let a = Self.catalogue.run(Self.configuration())
        let b = Self.catalogue.run(Self.configuration())
        let c = Self.catalogue.run(Self.configuration(seed: 2))
        #expect(!a.events.isEmpty && !a.qrels.isEmpty && !a.observations.isEmpty)
        #expect(try bytes(a) == bytes(b))
        #expect(try bytes(a) != bytes(c))
    }

    @Test func everyIdIsMarkedSynthetic() {
        let o = Self.catalogue.run(Self.configuration())
        #expect(o.events.allSatisfy { $0.user.rawValue.hasPrefix("sim-") && ($0.list ?? "").hasPrefix("sim-") })
        #expect(o.qrels.allSatisfy { $0.user.rawValue.hasPrefix("sim-") })
        #expect(o.events.allSatisfy { $0.at >= o.firstDay && $0.at < fixtureAsOf })
    }

    @Test func positionEffectIsVisible() {
        let o = Self.catalogue.run(Self.configuration())
        var shown = [Int](repeating: 0, count: 21), read = shown
        for e in o.events {
            guard let p = e.position else { continue }
            if e.kind == .impression { shown[p] += 1 }
            if e.kind == .read { read[p] += 1 }
        }
        let rate = { (p: Int) in Double(read[p]) / Double(max(shown[p], 1)) }
        #expect(shown[1] > 200 && shown[10] > 200)
        #expect(rate(1) > 2.5 * rate(10), "read rate at 1: \(rate(1)), at 10: \(rate(10))")
    }

    @Test func propensitiesMatchThePolicy() {
        let c = Self.configuration()
        let o = Self.catalogue.run(c)
        let M = Double(c.poolFactor * c.listLength)  // 60 ≤ 80 papers a day
        let greedy = 1 - c.epsilon + c.epsilon / M, explored = c.epsilon / M
        let impressions = o.events.filter { $0.kind == .impression }
        #expect(impressions.allSatisfy { ($0.propensity ?? 0) > 0 && ($0.propensity ?? 2) <= 1 })
        #expect(impressions.allSatisfy { abs($0.propensity! - greedy) < 1e-12 || abs($0.propensity! - explored) < 1e-12 })
        // Lists shown greedily (every item at its trend rank) are about 1 − ε of all lists.
        let lists = Dictionary(grouping: impressions, by: { $0.list ?? "" })
        let greedyLists = lists.values.filter { $0.allSatisfy { abs($0.propensity! - greedy) < 1e-12 } }.count
        let share = Double(greedyLists) / Double(lists.count)
        #expect(share > 0.7 && share < 0.9, "greedy share \(share)")
    }

    @Test func twoHundredReadersThirtyDaysTwelveThousandPapersIsFast() {
        let catalogue = SimulatorCatalogue(perDay: 400, days: 30)
        var c = ReaderSimulator.Configuration()
        c.readers = 200
        c.days = 30
        let start = Date()
        let o = catalogue.run(c)
        let seconds = Date().timeIntervalSince(start)
        print("simulator: 200 readers × 30 days × \(catalogue.papers.count) papers in \(String(format: "%.2f", seconds)) s, \(o.events.count) events")
        #expect(o.events.count > 10_000)
        #expect(seconds < 30)
    }
}
