import Foundation
import PaperFeedEvaluation
import Testing

/// Timing runs; only with PAPERFEED_BENCH=1 (use a release build for real figures).
/// PAPERFEED_BENCH_TREC=DIR also times `evaluateTrecFiles` on DIR/qrels.txt and DIR/run.txt
/// (as written by `peer_ndcg.py --write-trec DIR`).
@Suite struct BenchmarkTests {
    @Test func smallBenchmarkRuns() {
        let t = EvaluationBenchmark.run(users: 50, listLength: 20, seed: 1, repeats: 1)
        #expect(t.users == 50 && t.meanNDCG10 > 0 && t.meanNDCG10 <= 1)
        let (q1, r1) = EvaluationBenchmark.syntheticData(users: 5, listLength: 10, seed: 7)
        let (q2, r2) = EvaluationBenchmark.syntheticData(users: 5, listLength: 10, seed: 7)
        #expect(q1 == q2 && r1 == r2)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PAPERFEED_BENCH"] == "1"))
    func benchmark() throws {
        print(EvaluationBenchmark.run(users: 10_000, listLength: 100, seed: 0))
        if let dir = ProcessInfo.processInfo.environment["PAPERFEED_BENCH_TREC"] {
            for metrics in [[Metric.ndcg(cutoff: 10)], Metric.defaultSet] {
                let (s, report) = try EvaluationBenchmark.timeTrecFiles(
                    qrels: dir + "/qrels.txt", run: dir + "/run.txt", metrics: metrics)
                print("evaluateTrecFiles (\(metrics.count) metrics, parsing included): \(Int(s * 1000)) ms, "
                    + "mean ndcg@10 = \(report.mean["ndcg@10"] ?? .nan), users \(report.users)")
            }
        }
    }
}
