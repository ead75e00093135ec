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
    public static func run(readers: Int, candidates: Int, dimensions: Int, k: Int, seed: UInt64,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount, blockRows: Int = 256,
                           runs: Int = 3) throws -> (seconds: Double, readersPerSecond: Double, gflops: Double) {
        let ranker = try makeRanker(readers: readers, candidates: candidates, dimensions: dimensions, seed: seed, blockRows: blockRows)
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
    static func makeRanker(readers: Int, candidates: Int, dimensions: Int, seed: UInt64, blockRows: Int = 256) throws -> BlendRanker {
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
        var ranker = try BlendRanker(configuration: RankingConfiguration(), space: space, snapshot: snapshot)
        ranker.blockRows = blockRows
        return ranker
    }
}
