import Foundation
import LinearAlgebra
import PaperFeedCore

/// Rerank throughput on synthetic data: `readers` readers × `candidates` papers in a
/// `dimensions`-dimensional topic space, top `k` each, with the default blend (content, trend,
/// feedback, freshness, exclusions). Comparable to `shared/bench/peer_scoring.py` (numpy +
/// OpenBLAS sgemm + argpartition) for the same sizes.
///
/// Setup (not timed): Gaussian embeddings (seeded), every paper published in the last 7 days
/// with an upvote observation, and each reader with 5 read papers (a warm profile, 5 exclusions).
/// Timed: `BlendRanker.rank(users:k:)` over all readers, best of `runs` (after one warm-up).
/// gflops counts the sgemm only: 2 · readers · candidates · dimensions / seconds.
public enum RankingBenchmark {
    /// `learned`: rank with a learned ranker over every feature (fixed weights, the settings
    /// `RankerLearner` derives from the synthetic log) instead of the hand-set blend: the
    /// collaborative term (audience vectors of the candidates the readers read) shares the content
    /// segment of the sgemm, and the own-pair terms apply to each reader's read papers.
    public static func run(readers: Int, candidates: Int, dimensions: Int, k: Int, seed: UInt64,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount, blockRows: Int = 256,
                           runs: Int = 3, learned: Bool = false) throws -> (seconds: Double, readersPerSecond: Double, gflops: Double) {
        let ranker = try makeRanker(readers: readers, candidates: candidates, dimensions: dimensions, seed: seed, blockRows: blockRows,
                                    learned: learned)
        let users = ranker.readers
        _ = try ranker.rank(users: Array(users.prefix(256)), k: k, threads: threads)
        var best = Double.infinity
        for _ in 0..<max(1, runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            let lists = try ranker.rank(users: users, k: k, threads: threads)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            precondition(lists.count == users.count)
            best = min(best, seconds)
        }
        let flops = 2 * Double(readers) * Double(candidates) * Double(dimensions)
        return (best, Double(readers) / best, flops / best / 1e9)
    }

    /// The synthetic ranker the benchmark times (also used by tests at small sizes).
    static func makeRanker(readers: Int, candidates: Int, dimensions: Int, seed: UInt64, blockRows: Int = 256,
                           learned: Bool = false) throws -> BlendRanker {
        var g = SeededGenerator(seed: seed)
        let asOf = Date(timeIntervalSince1970: 1_750_000_000)
        let width = String(max(candidates, 1)).count
        let ids = (0..<candidates).map { i -> PaperID in
            let s = String(i)
            return PaperID("bench-" + String(repeating: "0", count: width - s.count) + s)
        }
        var values = [Float](repeating: 0, count: candidates * dimensions)
        for i in values.indices { values[i] = Float(g.nextGaussian()) }
        let space = try TopicSpace(ids: ids, embeddings: DenseMatrix(rows: candidates, columns: dimensions, values: values))
        var papers: [RankingSnapshot.PaperInfo] = []
        var observations: [UpvoteObservation] = []
        papers.reserveCapacity(candidates)
        for id in ids {
            let published = asOf.addingTimeInterval(-g.nextUnit() * 6.9 * 86_400)
            let votes = Int(g.next() % 200)
            papers.append(.init(id: id, publishedAt: published, upvotes: votes))
            observations.append(UpvoteObservation(paper: id, observedAt: asOf.addingTimeInterval(-60), upvotes: votes))
        }
        var events: [Event] = []
        events.reserveCapacity(readers * 5)
        let userWidth = String(max(readers, 1)).count
        for r in 0..<readers {
            let s = String(r)
            let user = UserID("bench-u" + String(repeating: "0", count: userWidth - s.count) + s)
            for e in 0..<5 where candidates > 0 {
                let paper = ids[Int(g.next() % UInt64(candidates))]
                events.append(Event(user: user, paper: paper, kind: .read, at: asOf.addingTimeInterval(-Double(e + 1) * 3600)))
            }
        }
        let snapshot = RankingSnapshot(asOf: asOf, papers: papers, events: events, observations: observations)
        var model: LearnedRanker? = nil
        if learned {
            let features = RankerFeature.allCases
            var r = LearnedRanker.single(.content, snapshot: snapshot, ranking: RankingConfiguration())
            let w: [RankerFeature: Double] = [.content: 0.6, .collaborative: 0.3, .category: 0.2, .trend: 0.25, .feedback: 0.15,
                                              .freshness: 0.1, .seen: -0.2, .skipped: -0.4]
            r.features = features
            r.mean = features.map { _ in 0 }
            r.scale = features.map { _ in 1 }
            r.weights = features.map { w[$0]! }
            r.settings = RankerLearner.settings(log: EventLog(events: events), snapshot: snapshot, ranking: RankingConfiguration(),
                                                configuration: RankerLearner.Configuration())
            model = r
        }
        var ranker = try BlendRanker(configuration: RankingConfiguration(), space: space, snapshot: snapshot, learned: model)
        ranker.blockRows = blockRows
        return ranker
    }

    /// `paperfeed learn`'s cost on a simulated log: `readers` readers over `days` days of a
    /// synthetic catalogue (`perDay` papers a day with random embeddings, one observation each),
    /// simulated by `ReaderSimulator` (not timed), then `RankerLearner.fit` timed (rows, the
    /// validation grid of λ and the final fit: the whole learn step but loading the store).
    public static func learn(readers: Int, days: Int, perDay: Int = 150, dimensions: Int = 128, seed: UInt64)
        throws -> (impressions: Int, events: Int, rows: Int, seconds: Double, simulateSeconds: Double) {
        var g = SeededGenerator(seed: seed)
        let asOf = Date(timeIntervalSince1970: 1_750_000_000 - 1_750_000_000.truncatingRemainder(dividingBy: 86_400))
        var ids: [PaperID] = [], values: [Float] = [], papers: [RankingSnapshot.PaperInfo] = [], observations: [UpvoteObservation] = []
        let total = perDay * (days + 3)
        let width = String(total).count
        for i in 0..<total {
            let s = String(i)
            let id = PaperID("learn-" + String(repeating: "0", count: width - s.count) + s)
            ids.append(id)
            for _ in 0..<dimensions { values.append(Float(g.nextGaussian())) }
            let published = asOf.addingTimeInterval(-Double(days + 3) * 86_400 + Double(i / perDay) * 86_400 + g.nextUnit() * 80_000)
            papers.append(.init(id: id, publishedAt: published, upvotes: nil, categories: ["cs.\(i % 7)"]))
            observations.append(UpvoteObservation(paper: id, observedAt: published.addingTimeInterval(3600), upvotes: Int(g.next() % 20)))
        }
        let space = try TopicSpace(ids: ids, embeddings: DenseMatrix(rows: total, columns: dimensions, values: values), centered: true)
        var c = ReaderSimulator.Configuration()
        c.readers = readers
        c.days = days
        c.seed = seed
        let t0 = DispatchTime.now().uptimeNanoseconds
        let o = ReaderSimulator(configuration: c).run(space: space, papers: papers, observations: observations, end: asOf)
        let t1 = DispatchTime.now().uptimeNanoseconds
        let snapshot = RankingSnapshot(asOf: asOf, papers: papers, events: o.events, observations: observations + o.observations)
        let impressions = o.events.reduce(0) { $0 + ($1.kind == .impression ? 1 : 0) }
        var ranking = RankingConfiguration()
        ranking.candidates.windowDays = 3
        let t2 = DispatchTime.now().uptimeNanoseconds
        let r = try RankerLearner().fit(snapshot: snapshot, space: space, ranking: ranking, topicModel: "bench")
        let t3 = DispatchTime.now().uptimeNanoseconds
        return (impressions, o.events.count, r.training.rows, Double(t3 - t2) / 1e9, Double(t1 - t0) / 1e9)
    }
}
