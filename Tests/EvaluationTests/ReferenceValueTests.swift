import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import Testing

/// Every value of the three `*.expected.json` reference files (trec_eval via pytrec_eval, and ranx).
@Suite struct ReferenceValueTests {
    static let cases = ["graded-ties", "graded-noties", "binary"]
    static let trecMeasures = [
        "ndcg", "ndcg_cut_5", "ndcg_cut_10", "ndcg_cut_20", "ndcg_cut_100", "map", "recip_rank",
        "P_5", "P_10", "P_20", "recall_10", "recall_100", "success_1", "success_5", "success_10",
    ]

    @Test(arguments: cases)
    func trecEvalPerUserAndMean(_ name: String) throws {
        let expected = try Fixture.expected(name)
        let metrics = try Self.trecMeasures.map { try Metric(parsing: $0) }
        #expect(metrics.map(\.trecEvalName) == Self.trecMeasures)
        let report = try evaluateTrecFiles(
            qrels: Fixture.path(name, "qrels"), run: Fixture.path(name, "run"), metrics: metrics)
        #expect(report.users == expected.perUser.count)
        #expect(Set(report.perUser.keys) == Set(expected.perUser.keys))
        var checked = 0
        for (user, values) in expected.perUser {
            for (measure, metric) in zip(Self.trecMeasures, metrics) {
                let got = try #require(report.perUser[user]?[metric.description])
                let want = try #require(values[measure])
                #expect(abs(got - want) < 1e-9, "\(name) \(user) \(measure): \(got) vs \(want)")
                checked += 1
            }
        }
        #expect(checked == expected.perUser.count * Self.trecMeasures.count)
        for (measure, metric) in zip(Self.trecMeasures, metrics) {
            let got = try #require(report.mean[metric.description])
            let want = try #require(expected.mean[measure])
            #expect(abs(got - want) < 1e-9, "\(name) mean \(measure): \(got) vs \(want)")
        }
    }

    @Test(arguments: cases)
    func ranxMeans(_ name: String) throws {
        let expected = try Fixture.expected(name)
        guard let ranx = expected.ranxMean else { return }  // only the no-tie cases have them
        #expect(!ranx.isEmpty)
        let qrels = try TrecFormat.readQrels(path: Fixture.path(name, "qrels"))
        let run = try TrecFormat.readRun(path: Fixture.path(name, "run"))
        for (key, want) in ranx {
            var options = EvaluationOptions(tieBreak: .inputOrder)
            var metricName = key
            if key.hasPrefix("ndcg_burges") {
                options.gain = .exponential
                metricName = "ndcg" + key.dropFirst("ndcg_burges".count)
            }
            let metric = try Metric(parsing: metricName)
            let result = Evaluator(qrels: qrels, options: options).evaluate(run, metrics: [metric])
            #expect(abs(result.means[0] - want) < 1e-9, "\(name) ranx \(key): \(result.means[0]) vs \(want)")
        }
    }

    /// The graded-ties case is only reproduced with ties broken by paper id descending.
    @Test func tiesMatterInTheTiedCase() throws {
        let qrels = try TrecFormat.readQrels(path: Fixture.path("graded-ties", "qrels"))
        let run = try TrecFormat.readRun(path: Fixture.path("graded-ties", "run"))
        let expected = try Fixture.expected("graded-ties")
        let metric = Metric.ndcg(cutoff: 10)
        let desc = Evaluator(qrels: qrels).evaluate(run, metrics: [metric]).means[0]
        let asc = Evaluator(qrels: qrels, options: .init(tieBreak: .paperIDAscending)).evaluate(run, metrics: [metric])
            .means[0]
        #expect(abs(desc - expected.mean["ndcg_cut_10"]!) < 1e-9)
        #expect(abs(asc - expected.mean["ndcg_cut_10"]!) > 1e-6)
    }

    /// Serial and parallel evaluation give identical bytes.
    @Test func parallelIsDeterministic() throws {
        let qrels = try TrecFormat.readQrels(path: Fixture.path("graded-noties", "qrels"))
        let run = try TrecFormat.readRun(path: Fixture.path("graded-noties", "run"))
        let serial = Evaluator(qrels: qrels, options: .init(parallelThreshold: .max)).evaluate(run, metrics: Metric.defaultSet)
        let parallel = Evaluator(qrels: qrels, options: .init(parallelThreshold: 1)).evaluate(run, metrics: Metric.defaultSet)
        #expect(serial == parallel)
        #expect(try MetricsReport(serial).jsonString() == MetricsReport(parallel).jsonString())
    }
}
