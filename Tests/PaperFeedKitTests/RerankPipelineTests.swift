import Foundation
import PaperFeedCore
@testable import PaperFeedIO
import Ranking
import Testing
import TopicModel

@testable import PaperFeedKit

/// A small store: 120 dated papers on four themes, a topic model, and simulated readers (see `simulatedStore`).
private func fixture() throws -> (Store, TopicModel, String) {
    let (store, model, dir) = try simulatedStore()
    // Close and reopen so the WAL is checkpointed into the file (the test copies the file).
    let path = store.path
    try store.close()
    return (try Store(path: path), model, dir)
}

func simulatedStore() throws -> (Store, TopicModel, String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pf-kit-\(UUID().uuidString)").path
    let store = try Store(path: dir + "/db.sqlite")
    let themes = [
        ["graph", "neural", "network", "node", "edge", "message"], ["protein", "folding", "molecule", "drug", "binding", "chemistry"],
        ["language", "model", "token", "translation", "prompt", "reasoning"], ["robot", "control", "policy", "grasp", "locomotion", "manipulation"],
    ]
    var g = SeededGenerator(seed: 5)
    var papers: [Located<Paper>] = []
    for i in 0..<120 {
        let theme = themes[i % 4]
        let words = (0..<25).map { _ in theme[Int(g.next() % UInt64(theme.count))] }
        let day = Timestamp.date(year: 2025, month: 5, day: 1 + i / 8)!
        papers.append(Located(line: i + 1, row: Paper(id: PaperID(String(format: "p%03d", i)), title: "Paper \(i)",
                                                     abstract: words.joined(separator: " "), publishedAt: day, source: "test")))
    }
    var summary = IngestSummary(file: "fixture", kind: "papers")
    try store.applyPapers(papers, into: &summary)
    var c = TopicModelConfiguration()
    c.dimensions = 8
    c.minDocumentFrequency = 1
    c.maxDocumentFrequency = 0.9
    let (model, _) = try TopicModel.fit(documents: try store.paperTexts(), configuration: c, createdAt: "2025-05-16T00:00:00Z")
    var sim = ReaderSimulator.Configuration()
    sim.readers = 30
    sim.days = 10
    sim.listLength = 6
    sim.seed = 3
    _ = try SimulatePipeline.run(store: store, model: model, configuration: sim, end: Timestamp.parse("2025-05-15"),
                                 eventsFile: nil, qrelsFile: nil, storeEvents: true, progress: Progress(enabled: false))
    return (store, model, dir)
}

@Suite struct RerankPipelineTests {
    @Test func interruptedRunResumesToTheSameOutput() throws {
        let (original, model, dir) = try fixture()
        var o = RerankPipeline.Options(asOf: Timestamp.parse("2025-05-16")!)
        o.k = 10
        o.chunk = 7
        o.jsonl = dir + "/full.jsonl"
        // Uninterrupted run in a copy of the database.
        try original.close()
        try FileManager.default.copyItem(atPath: dir + "/db.sqlite", toPath: dir + "/copy.sqlite")
        let store = try Store(path: dir + "/db.sqlite")
        let copy = try Store(path: dir + "/copy.sqlite")
        let full = try RerankPipeline.run(store: copy, model: model, options: o, progress: Progress(enabled: false))
        let readers = Set(try store.events().map { $0.user }).count
        #expect(readers > 14)
        #expect(full.readers == readers && full.resumed == 0)

        // Interrupted after two blocks: the run is not visible, no output file is written.
        var interrupted = o
        interrupted.jsonl = dir + "/resumed.jsonl"
        interrupted.stopAfterChunks = 2
        #expect(throws: RerankPipeline.Interrupted.self) { _ = try RerankPipeline.run(store: store, model: model, options: interrupted, progress: Progress(enabled: false)) }
        #expect(!FileManager.default.fileExists(atPath: dir + "/resumed.jsonl"))
        #expect(try store.latestCompleteRun() == nil)

        // The rerun resumes (14 readers done) and finishes with identical output.
        interrupted.stopAfterChunks = nil
        let resumed = try RerankPipeline.run(store: store, model: model, options: interrupted, progress: Progress(enabled: false))
        #expect(resumed.run == full.run)
        #expect(resumed.resumed == 14)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/resumed.jsonl")) == Data(contentsOf: URL(fileURLWithPath: dir + "/full.jsonl")))
        let lists = try #require(try store.lists(run: resumed.run))
        #expect(lists.count == readers)
        #expect(lists.allSatisfy { $0.items.count == 10 })
    }

    @Test func shardsPartitionTheReaders() throws {
        let (store, model, _) = try fixture()
        var seen = Set<UserID>()
        var total = 0
        for i in 0..<3 {
            var o = RerankPipeline.Options(asOf: Timestamp.parse("2025-05-16")!)
            o.k = 5
            o.shard = (i, 3)
            let s = try RerankPipeline.run(store: store, model: model, options: o, progress: Progress(enabled: false))
            let lists = try #require(try store.lists(run: s.run))
            total += lists.count
            seen.formUnion(lists.map(\.user))
        }
        let readers = Set(try store.events().map { $0.user }).count
        #expect(total == readers && seen.count == readers)
    }

    @Test func recommendAgreesWithTheBatchAndExplains() throws {
        let (store, model, _) = try fixture()
        var o = RerankPipeline.Options(asOf: Timestamp.parse("2025-05-16")!)
        o.k = 5
        let s = try RerankPipeline.run(store: store, model: model, options: o, progress: Progress(enabled: false))
        let batch = try #require(try store.lists(run: s.run)).first!
        let single = try RecommendPipeline.run(store: store, model: model, user: batch.user, k: 5, asOf: o.asOf,
                                               configuration: RankingConfiguration(), explain: true)
        #expect(single.items.map(\.paper) == batch.items.map(\.paper.rawValue))
        #expect(single.items.map(\.score) == batch.items.map(\.score))
        #expect(single.items.allSatisfy { !($0.because ?? []).isEmpty || ($0.signals["content"] ?? 0) == 0 })
    }
}
