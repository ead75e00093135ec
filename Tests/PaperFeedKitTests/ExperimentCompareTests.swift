import Foundation
import PaperFeedCore
import PaperFeedEvaluation
@testable import PaperFeedIO
import Ranking
import Testing
import TopicModel

@testable import PaperFeedKit

/// A store with 160 dated papers (2025-05-01 …) on four themes and SYNTHETIC readers simulated
/// over 2025-05-05 … 05-14, with their hidden relevance. With `replaceFrom`, every event and
/// observation at or after that time comes from another simulation (seed `replaceSeed`) instead:
/// a store whose test window differs while everything before it is the same.
private func replayStore(seed: UInt64 = 4, replaceFrom: Date? = nil, replaceSeed: UInt64 = 99) throws -> (db: String, qrels: String, dir: String) {
    let (store, _, dir, papers) = try themedStore(ThemedStoreShape(
        papers: 160, papersPerDay: 11, paperSeed: 11, readers: 40, listLength: 8, simulationSeed: seed, writeFiles: true))
    guard let cutoff = replaceFrom else {
        try store.close()
        return (dir + "/db.sqlite", dir + "/hidden.qrels", dir)
    }
    let other = try replayStore(seed: replaceSeed)
    let otherStore = try Store(path: other.db)
    let events = try store.events().filter { $0.at < cutoff } + otherStore.events().filter { $0.at >= cutoff }
    let observations = try store.upvoteObservations().filter { $0.observedAt < cutoff }
        + otherStore.upvoteObservations().filter { $0.observedAt >= cutoff }
    try otherStore.close()
    try store.close()
    let cut = try Store(path: dir + "/cut.sqlite")
    var s2 = IngestSummary(file: "fixture", kind: "papers")
    try cut.applyPapers(papers, into: &s2)
    try cut.applyEvents(events.enumerated().map { Located(line: $0.offset + 1, row: $0.element) }, into: &s2)
    try cut.applyObservations(observations.enumerated().map { Located(line: $0.offset + 1, row: $0.element) }, into: &s2)
    try cut.close()
    return (dir + "/cut.sqlite", dir + "/hidden.qrels", dir)
}

private func writeConfig(_ dir: String, name: String, body: String) throws -> String {
    try FileManager.default.createDirectory(atPath: dir + "/configs", withIntermediateDirectories: true)
    let path = dir + "/configs/\(name).json"
    try body.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite(.serialized) struct ExperimentCompareTests {
    @Test func compareConfigReportsSegmentsAndOffPolicy() throws {
        let (db, qrels, dir) = try replayStore()
        let path = try writeConfig(dir, name: "ab", body: """
            {"data": {"store": {"db": "\(db)", "dims": 6, "candidate_window_days": 3, "hidden_qrels": "\(qrels)"}},
             "split": {"kind": "replay", "first": "2025-05-12", "last": "2025-05-14"},
             "systems": [{"name": "trend-only", "baseline": "trend-only"}, {"name": "content-only", "baseline": "content-only"},
                         {"name": "blend", "baseline": "blend"}],
             "metrics": ["ndcg@10", "recall@20"], "k": 30, "seed": 3,
             "compare": {"baseline": "blend", "permutations": 2000, "bootstrap": 1000, "clusters": 3}}
            """)
        let report = try Experiment.compare(configPath: path)
        #expect(report.systems == ["blend", "trend-only", "content-only"])
        #expect(report.results.count == 2 && report.results.allSatisfy { $0.pairs.count == 2 })
        let segments = Set(report.segments.map(\.segment))
        #expect(segments.isSuperset(of: ["cold", "warm", "light", "heavy"]))
        let topics = segments.filter { $0.hasPrefix("topic-") }
        #expect(!topics.isEmpty && topics.count <= 3)
        // Each segment compares only its own readers.
        for s in report.segments { #expect(s.results.allSatisfy { $0.readers <= s.readers }) }
        // The simulator logged propensities: every system gets an estimate over the same impressions.
        #expect(Set(report.offPolicy.keys) == ["blend", "trend-only", "content-only"])
        let n = report.offPolicy["blend"]!.impressions
        #expect(n > 0 && report.offPolicy.values.allSatisfy { $0.impressions == n })
        // The folder holds the three renderings of one value, the qrels and the runs.
        let out = dir + "/reports/ab"
        let json = try String(contentsOfFile: out + "/report.json", encoding: .utf8)
        #expect(try JSONDecoder().decode(ComparisonReport.self, from: Data(json.utf8)) == report)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("Off-policy estimate") && html.contains("Segment cold") && html.contains("<svg"))
        for f in ["report.md", "qrels.txt", "runs/blend.run", "runs/trend-only.run"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + f), "\(f)")
        }
    }

    static func tuneConfig(_ db: String, _ qrels: String, validationLast: String) -> String {
        """
        {"data": {"store": {"db": "\(db)", "dims": 6, "candidate_window_days": 3, "hidden_qrels": "\(qrels)"}},
         "split": {"kind": "replay", "first": "2025-05-12", "last": "2025-05-14"},
         "systems": [], "metrics": ["ndcg@10"], "k": 30, "seed": 9,
         "compare": {"permutations": 1000, "bootstrap": 500, "clusters": 0},
         "tune": {"validation": {"first": "2025-05-08", "last": "\(validationLast)"}, "metric": "ndcg@10",
                  "parameters": {"weights.content": [0, 0.3, 1], "weights.trend": [0, 0.5], "feedback.skipPenalty": [0, 0.3]},
                  "rounds": 2}}
        """
    }

    @Test func tuneRefusesAValidationWindowThatReachesTheTest() throws {
        let (db, qrels, dir) = try replayStore()
        let path = try writeConfig(dir, name: "overlap", body: Self.tuneConfig(db, qrels, validationLast: "2025-05-12"))
        #expect { _ = try Experiment.tune(configPath: path) } throws: { "\($0)".contains("overlaps the test window") }
    }

    @Test func tuneSearchIsBlindToTheTestWindow() throws {
        // Same papers and history; in the second store the test window's events come from another simulation.
        let full = try replayStore()
        let cut = try replayStore(replaceFrom: Timestamp.parse("2025-05-12")!)
        let a = try Experiment.tune(configPath: writeConfig(full.dir, name: "t", body: Self.tuneConfig(full.db, full.qrels, validationLast: "2025-05-11")))
        let b = try Experiment.tune(configPath: writeConfig(cut.dir, name: "t", body: Self.tuneConfig(cut.db, cut.qrels, validationLast: "2025-05-11")))
        // The search (every configuration tried, every validation score) is identical.
        #expect(a.summary.trace.map(\.score) == b.summary.trace.map(\.score))
        #expect(a.summary.chosen == b.summary.chosen)
        #expect(a.report.results != b.report.results)  // the test windows really differ
        #expect(a.summary.tunedValidationScore >= a.summary.defaultValidationScore)
        #expect(a.summary.validationDays == ["2025-05-08", "2025-05-09", "2025-05-10", "2025-05-11"])
        #expect(a.summary.testDays == ["2025-05-12", "2025-05-13", "2025-05-14"])
        // The test comparison is default vs tuned, with the tuned configuration written beside it.
        #expect(a.report.systems == ["default", "tuned"])
        let tuned = try RankingConfiguration.load(path: full.dir + "/reports/t/tuned-blend.json")
        #expect(ParameterSearch.value(tuned, "weights.content") == a.summary.chosen["weights.content"]![1])
        #expect(FileManager.default.fileExists(atPath: full.dir + "/reports/t/tuning.json"))
        #expect(a.report.tables.count == 2)
    }

    @Test func aBrokenExperimentFileNamesTheLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pf-bad-\(UUID().uuidString)").path
        let path = try writeConfig(dir, name: "bad", body: "{\"data\": {\"store\": {\"db\": \"x.sqlite\"}},\n \"split\": {\"kind\": \"replay\" \"first\": 1}}\n")
        #expect { _ = try Experiment.compare(configPath: path) } throws: { error in
            let text = "\(error)"
            return text.contains(path) && text.contains("line 2, column") && text.contains("not valid JSON")
        }
    }

    @Test func settingAParameterValidatesItsPath() throws {
        let c = try ParameterSearch.setting(RankingConfiguration(), "trend.half_life_days", to: 3)
        #expect(c.trend.halfLifeDays == 3)
        #expect(try ParameterSearch.setting(c, "diversity.enabled", to: 1).diversity.enabled)
        #expect(throws: KitError.self) { try ParameterSearch.setting(c, "weights.novelty", to: 1) }
        #expect(throws: (any Error).self) { try ParameterSearch.setting(c, "weights.content", to: -1) }
    }
}
