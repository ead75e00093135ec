import Dispatch
import PaperFeedCore

/// Benchmark entry point for `make bench`: metrics over a seeded synthetic qrels + run.
///
/// Data (like `/work/shared/bench/peer_ndcg.py`, not byte-identical): per reader, `listLength`
/// ranked papers drawn from 100,000 ids and 1–20 judged papers of grade 1 or 2, about half of
/// them ranked; score = uniform[0,1) + 0.3 · grade. Times are medians of `repeats` runs, from
/// in-memory `Qrels`/`Run` (judgment preparation included, file parsing not).
public enum EvaluationBenchmark {
    public struct Timing: Sendable, CustomStringConvertible {
        public var users: Int
        public var listLength: Int
        public var judgments: Int
        /// `Evaluator(qrels:)` + `evaluate(run, metrics: [ndcg@10])`, median seconds.
        public var ndcg10Seconds: Double
        /// The same with `Metric.defaultSet` (12 metrics), median seconds.
        public var defaultSetSeconds: Double
        /// Mean nDCG@10 (a checksum for comparing runs).
        public var meanNDCG10: Double

        public var description: String {
            "evaluation: \(users) readers x \(listLength) papers, \(judgments) judgments: "
                + "ndcg@10 \(ms(ndcg10Seconds)), default set (\(Metric.defaultSet.count) metrics) "
                + "\(ms(defaultSetSeconds)), mean ndcg@10 = \(meanNDCG10)"
        }
        private func ms(_ s: Double) -> String { "\(Int((s * 1000).rounded())) ms" }
    }

    /// Generates the data with `seed`, then times the evaluation.
    public static func run(users: Int = 10_000, listLength: Int = 100, seed: UInt64 = 0, repeats: Int = 5) -> Timing {
        let (qrels, run) = syntheticData(users: users, listLength: listLength, seed: seed)
        var mean = 0.0
        let ndcg = median(repeats) {
            mean = Evaluator(qrels: qrels).evaluate(run, metrics: [.ndcg(cutoff: 10)]).means[0]
        }
        let all = median(repeats) { _ = Evaluator(qrels: qrels).evaluate(run, metrics: Metric.defaultSet) }
        return Timing(users: users, listLength: listLength, judgments: qrels.count, ndcg10Seconds: ndcg,
                      defaultSetSeconds: all, meanNDCG10: mean)
    }

    /// Median seconds of `evaluateTrecFiles` (file parsing included) on existing TREC files,
    /// e.g. those written by `peer_ndcg.py --write-trec DIR`.
    public static func timeTrecFiles(qrels: String, run: String, metrics: [Metric] = [.ndcg(cutoff: 10)],
                                     repeats: Int = 5) throws -> (seconds: Double, report: MetricsReport) {
        var report = try evaluateTrecFiles(qrels: qrels, run: run, metrics: metrics)
        var failure: (any Error)? = nil
        let s = median(repeats) {
            do { report = try evaluateTrecFiles(qrels: qrels, run: run, metrics: metrics) } catch { failure = error }
        }
        if let failure { throw failure }
        return (s, report)
    }

    /// The seeded synthetic qrels and run.
    public static func syntheticData(users: Int, listLength: Int, seed: UInt64) -> (Qrels, Run) {
        var judgments: [UserID: [PaperID: Int]] = [:]
        var lists: [UserID: [ScoredPaper]] = [:]
        let root = SeededGenerator(seed: seed)
        for u in 0..<users {
            var g = root.derived(UInt64(u))
            var drawn = Set<Int>()
            var ids: [Int] = []
            while ids.count < listLength + 20 {
                let x = Int(g.next() % 100_000)
                if drawn.insert(x).inserted { ids.append(x) }
            }
            let papers = ids.map { PaperID("d\($0)") }
            let nrel = 1 + Int(g.next() % 20)
            var grades: [PaperID: Int] = [:]
            var rankedRelevant = Set<Int>()
            while rankedRelevant.count < Swift.min(nrel / 2 + 1, listLength) {
                rankedRelevant.insert(Int(g.next() % UInt64(listLength)))
            }
            for i in rankedRelevant.sorted() { grades[papers[i]] = 1 + Int(g.next() % 2) }
            for i in listLength..<(listLength + nrel / 2) { grades[papers[i]] = 1 + Int(g.next() % 2) }
            let user = UserID("q\(u)")
            judgments[user] = grades
            lists[user] = (0..<listLength).map { i in
                ScoredPaper(paper: papers[i], score: g.nextUnit() + 0.3 * Double(grades[papers[i]] ?? 0))
            }
        }
        return (Qrels(judgments), Run(lists))
    }

    static func median(_ repeats: Int, _ body: () -> Void) -> Double {
        var times: [Double] = []
        for _ in 0..<Swift.max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return times[times.count / 2]
    }
}
