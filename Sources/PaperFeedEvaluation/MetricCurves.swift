import Foundation
import PaperFeedCore

/// metric@k curves for k = 1…K, for the report's line chart: `[system: [k: value]]`.
///
/// One pass per reader: the list is sorted and joined with the judgments once
/// (`Evaluator.judgedRanking`), then prefix sums give every cut-off in O(K) — instead of K
/// separate evaluations. Values equal `Evaluator.evaluate(run, metrics: [.ndcg(cutoff: k)])`
/// (resp. `.recall`) means for each k, with the same readers and conventions.
public enum MetricCurves {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case ndcg, recall
    }

    /// Mean metric@k over the evaluator's readers for k = 1…maxK.
    public static func curve(_ run: Run, evaluator: Evaluator, kind: Kind, maxK: Int = 100) -> [Int: Double] {
        guard maxK >= 1 else { return [:] }
        let users = evaluator.evaluatedUsers(run)
        var sums = [Double](repeating: 0, count: maxK)
        let gain = evaluator.options.gain
        for user in users {
            let r = evaluator.judgedRanking(user: user, items: run.lists[user] ?? [])
            switch kind {
            case .recall:
                guard r.relevantCount > 0 else { continue }
                var hits = 0
                for k in 1...maxK {
                    if k <= r.grades.count, r.isRelevant(r.grades[k - 1]) { hits += 1 }
                    sums[k - 1] += Double(hits) / Double(r.relevantCount)
                }
            case .ndcg:
                let ideal: [Int]
                switch evaluator.options.ideal {
                case .allJudged: ideal = r.idealGrades
                case .rankedCandidates: ideal = r.grades.filter { $0 > 0 }.sorted(by: >)
                }
                var dcg = 0.0, idcg = 0.0
                for k in 1...maxK {
                    if k <= r.grades.count { dcg += Metric.gainValue(r.grades[k - 1], gain) * Discount.at(k - 1) }
                    if k <= ideal.count { idcg += Metric.gainValue(ideal[k - 1], gain) * Discount.at(k - 1) }
                    if dcg > 0 && idcg > 0 { sums[k - 1] += dcg / idcg }
                }
            }
        }
        var out: [Int: Double] = [:]
        for k in 1...maxK { out[k] = users.isEmpty ? 0 : sums[k - 1] / Double(users.count) }
        return out
    }

    /// Curves of several systems (system name → run).
    public static func curves(_ runs: [String: Run], qrels: Qrels, kind: Kind, maxK: Int = 100,
                              options: EvaluationOptions = .init()) -> [String: [Int: Double]] {
        let evaluator = Evaluator(qrels: qrels, options: options)
        return runs.mapValues { curve($0, evaluator: evaluator, kind: kind, maxK: maxK) }
    }
}
