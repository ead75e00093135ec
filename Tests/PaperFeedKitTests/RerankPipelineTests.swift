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
    let f = try themedStore()
    return (f.store, f.model, f.dir)
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
