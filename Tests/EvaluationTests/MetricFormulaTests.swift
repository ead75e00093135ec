import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import Testing

/// Hand-made cases; every expected value is written as its formula.
@Suite struct MetricFormulaTests {
    // Grades in rank order: [1, 0, 2]; judged also: one unranked paper of grade 1 (so R = 3,
    // ideal grades [2, 1, 1]).
    let r = ranking([1, 0, 2], relevant: 3, ideal: [1, 0, 2, 1])

    @Test func ndcgLinear() {
        let dcg = 1 / log2(2.0) + 2 / log2(4.0)
        let idcg = 2 / log2(2.0) + 1 / log2(3.0) + 1 / log2(4.0)
        #expect(close(Metric.ndcg(r, cutoff: nil, gain: .linear, ideal: .allJudged), dcg / idcg))
        // @2: only ranks 1-2 of the run and of the ideal.
        #expect(close(Metric.ndcg(r, cutoff: 2, gain: .linear, ideal: .allJudged),
                      (1 / log2(2.0)) / (2 / log2(2.0) + 1 / log2(3.0))))
        // A cut-off beyond the list length is the whole list.
        #expect(close(Metric.ndcg(r, cutoff: 50, gain: .linear, ideal: .allJudged), dcg / idcg))
    }

    @Test func ndcgExponentialGain() {
        let dcg = (pow(2.0, 1) - 1) / log2(2.0) + (pow(2.0, 2) - 1) / log2(4.0)
        let idcg = (pow(2.0, 2) - 1) / log2(2.0) + (pow(2.0, 1) - 1) / log2(3.0) + (pow(2.0, 1) - 1) / log2(4.0)
        #expect(close(Metric.ndcg(r, cutoff: nil, gain: .exponential, ideal: .allJudged), dcg / idcg))
    }

    @Test func ndcgIdealFromRankedCandidatesOnly() {
        // scikit-learn convention: ideal = the ranked grades re-sorted: [2, 1, 0].
        let dcg = 1 / log2(2.0) + 2 / log2(4.0)
        let idcg = 2 / log2(2.0) + 1 / log2(3.0)
        #expect(close(Metric.ndcg(r, cutoff: nil, gain: .linear, ideal: .rankedCandidates), dcg / idcg))
    }

    @Test func averagePrecision() {
        // Relevant at ranks 1 and 3; R = 3 (one relevant never ranked).
        #expect(close(Metric.averagePrecision(r, cutoff: nil), (1.0 / 1 + 2.0 / 3) / 3))
        // @2 keeps the denominator R = 3 (trec_eval / ranx map@k).
        #expect(close(Metric.averagePrecision(r, cutoff: 2), (1.0 / 1) / 3))
    }

    @Test func reciprocalRankPrecisionRecallHit() {
        let late = ranking([0, 0, 1, 0], relevant: 2)
        #expect(close(Metric.reciprocalRank(late, cutoff: nil), 1.0 / 3))
        #expect(Metric.reciprocalRank(late, cutoff: 2) == 0)
        #expect(close(Metric.precision(late, cutoff: 3), 1.0 / 3))
        // Denominator stays k when the list is shorter than k (trec_eval P_k).
        #expect(close(Metric.precision(late, cutoff: 10), 1.0 / 10))
        #expect(close(Metric.recall(late, cutoff: 3), 1.0 / 2))
        #expect(Metric.recall(late, cutoff: 2) == 0)
        #expect(Metric.hitRate(late, cutoff: 3) == 1)
        #expect(Metric.hitRate(late, cutoff: 2) == 0)
    }

    @Test func relevanceThreshold() {
        // With threshold 2, only the grade-2 paper at rank 3 is relevant.
        let r2 = JudgedRanking(grades: [1, 0, 2], relevantCount: 1, idealGrades: [2, 1, 1], threshold: 2)
        #expect(close(Metric.reciprocalRank(r2, cutoff: nil), 1.0 / 3))
        #expect(close(Metric.averagePrecision(r2, cutoff: nil), (1.0 / 3) / 1))
    }

    @Test func userWithNoRelevantPaper() {
        let none = ranking([0, 0, 0], relevant: 0, ideal: [0, 0])
        for metric in Metric.defaultSet { #expect(metric.value(none) == 0, "\(metric)") }
    }

    @Test func emptyListForAUser() {
        let empty = ranking([], relevant: 2, ideal: [1, 2])
        for metric in Metric.defaultSet { #expect(metric.value(empty) == 0, "\(metric)") }
    }

    /// Equal scores are ordered by paper id descending (trec_eval): "b" before "a".
    @Test func tiesByPaperIDDescending() {
        let qrels = Qrels(["u": ["a": 1]])
        let run = Run(["u": [ScoredPaper(paper: "a", score: 0.5), ScoredPaper(paper: "b", score: 0.5)]])
        let v = Evaluator(qrels: qrels).evaluate(run, metrics: [.reciprocalRank(cutoff: nil), .ndcg(cutoff: nil)])
        #expect(close(v.value(user: 0, metric: 0), 1.0 / 2))
        #expect(close(v.value(user: 0, metric: 1), (1 / log2(3.0)) / (1 / log2(2.0))))
        #expect(run.ranked("u").map(\.paper) == ["b", "a"])
        #expect(run.ranked("u", tieBreak: .paperIDAscending).map(\.paper) == ["a", "b"])
        #expect(run.ranked("u", tieBreak: .inputOrder).map(\.paper) == ["a", "b"])
        // The run's own order is ignored: only the score decides.
        let reversed = Run(["u": [ScoredPaper(paper: "a", score: 0.1), ScoredPaper(paper: "b", score: 0.9)]])
        #expect(reversed.ranked("u").map(\.paper) == ["b", "a"])
    }

    /// Readers with judgments but no list: skipped by default, 0 with trec_eval -c.
    @Test func missingUsersSwitch() {
        let qrels = Qrels(["u1": ["a": 1], "u2": ["b": 1]])
        let run = Run(["u1": [ScoredPaper(paper: "a", score: 1)], "u3": [ScoredPaper(paper: "c", score: 1)]])
        let skip = Evaluator(qrels: qrels).evaluate(run, metrics: [.ndcg(cutoff: 10)])
        #expect(skip.users == ["u1"])  // u3 has no judgments: never evaluated (trec_eval)
        #expect(skip.means == [1])
        let zero = Evaluator(qrels: qrels, options: .init(missingUsers: .countAsZero)).evaluate(run, metrics: [.ndcg(cutoff: 10)])
        #expect(zero.users == ["u1", "u2"])
        #expect(zero.means == [(1.0 + 0.0) / 2])
    }

    @Test func gainSwitchThroughEvaluator() {
        let qrels = Qrels(["u": ["a": 3, "b": 1]])
        let run = Run(["u": [ScoredPaper(paper: "b", score: 2), ScoredPaper(paper: "a", score: 1)]])
        let lin = Evaluator(qrels: qrels).evaluate(run, metrics: [.ndcg(cutoff: nil)]).means[0]
        let exp = Evaluator(qrels: qrels, options: .init(gain: .exponential)).evaluate(run, metrics: [.ndcg(cutoff: nil)]).means[0]
        #expect(close(lin, (1 / log2(2.0) + 3 / log2(3.0)) / (3 / log2(2.0) + 1 / log2(3.0))))
        #expect(close(exp, (1 / log2(2.0) + 7 / log2(3.0)) / (7 / log2(2.0) + 1 / log2(3.0))))
    }

    @Test func idealSwitchThroughEvaluator() {
        // "c" (grade 2) is judged but never ranked.
        let qrels = Qrels(["u": ["a": 1, "c": 2]])
        let run = Run(["u": [ScoredPaper(paper: "a", score: 1), ScoredPaper(paper: "x", score: 0.5)]])
        let all = Evaluator(qrels: qrels).evaluate(run, metrics: [.ndcg(cutoff: nil)]).means[0]
        let cand = Evaluator(qrels: qrels, options: .init(ideal: .rankedCandidates)).evaluate(run, metrics: [.ndcg(cutoff: nil)]).means[0]
        #expect(close(all, (1 / log2(2.0)) / (2 / log2(2.0) + 1 / log2(3.0))))
        #expect(close(cand, 1))
    }

    @Test func metricNames() throws {
        let parsed = try Metric.parseList("ndcg@10, ndcg map map@100 mrr mrr@10 precision@10 p@5 recall@100 recall hit@10")
        #expect(parsed == [
            .ndcg(cutoff: 10), .ndcg(cutoff: nil), .averagePrecision(cutoff: nil), .averagePrecision(cutoff: 100),
            .reciprocalRank(cutoff: nil), .reciprocalRank(cutoff: 10), .precision(cutoff: 10), .precision(cutoff: 5),
            .recall(cutoff: 100), .recall(cutoff: nil), .hitRate(cutoff: 10),
        ])
        #expect(parsed.map(\.description).joined(separator: " ")
            == "ndcg@10 ndcg map map@100 mrr mrr@10 precision@10 precision@5 recall@100 recall hit@10")
        #expect(try Metric(parsing: "NDCG_CUT_20") == .ndcg(cutoff: 20))
        #expect(try Metric(parsing: "P_5") == .precision(cutoff: 5))
        #expect(try Metric(parsing: "success_1") == .hitRate(cutoff: 1))
        #expect(try Metric(parsing: "recip_rank") == .reciprocalRank(cutoff: nil))
        #expect(throws: EvaluationError.unknownMetric("bleu@4")) { try Metric(parsing: "bleu@4") }
        #expect(throws: EvaluationError.self) { try Metric(parsing: "ndcg@0") }
        #expect(throws: EvaluationError.self) { try Metric(parsing: "ndcg@ten") }
        #expect(throws: EvaluationError.self) { try Metric(parsing: "precision") }
        #expect(EvaluationError.unknownMetric("bleu").description.contains("use one of"))
        #expect(try EvaluationOptions.Gain(parsing: "exp") == .exponential)
        #expect(throws: EvaluationError.self) { try EvaluationOptions.Gain(parsing: "log") }
    }
}
