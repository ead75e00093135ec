import Foundation
import PaperFeedCore
@testable import PaperFeedIO
import Ranking
import Testing
import TopicModel

@testable import PaperFeedKit

/// `paperfeed learn` end to end on the themed fixture store: the ranker is attached to the
/// model version, reads back equal to what was learned, is the one `--ranker auto` uses, ranks,
/// and is refused when it does not match its file or its model.
@Suite struct LearnPipelineTests {
    func fixture() throws -> (store: Store, dir: String, modelDir: String, model: TopicModel) {
        let (store, model, dir, _) = try themedStore(.init(readers: 40, listLength: 8))
        let modelDir = dir + "/model"
        try ModelFiles.save(model.artifact(), to: modelDir)
        return (store, dir, modelDir, try ModelPipeline.load(modelDir))
    }

    @Test func learnAttachesARankerThatReadsBackAndRanks() throws {
        let f = try fixture()
        defer { try? f.store.close() }
        var o = LearnPipeline.Options(asOf: Timestamp.parse("2025-05-15")!)
        o.learner.validationDays = 3
        o.learner.minimumValidationLists = 5
        let before = try ModelFiles.currentVersion(of: f.modelDir)
        let s = try LearnPipeline.run(store: f.store, modelDirectory: f.modelDir, options: o, progress: Progress(enabled: false))
        let after = try ModelFiles.currentVersion(of: f.modelDir)
        #expect(after != before && s.modelVersion == after.name)
        #expect(s.rows > 100 && s.positives > 0, "\(s.rows) rows, \(s.positives) positives")
        // The attached ranker reads back; `auto` picks it, `none` does not.
        let (model, ranker) = try ModelPipeline.loadWithRanker(f.modelDir, choice: .auto)
        let learned = try #require(ranker)
        #expect(learned.training.rows == s.rows && learned.training.regularization == s.regularization)
        #expect(try ModelPipeline.loadWithRanker(f.modelDir, choice: .handSet).ranker == nil)
        // Same inputs, same bytes.
        let again = try RankerLearner(configuration: o.learner).fit(
            snapshot: try RankingSnapshot.load(store: f.store, asOf: o.asOf), space: try ModelPipeline.space(model: model, store: f.store).space,
            ranking: o.ranking, topicModel: LearnPipeline.identity(model))
        #expect(try LearnPipeline.encode(again) == LearnPipeline.encode(learned))
        // It ranks: lists with its features in the breakdown, different from the hand-set blend's.
        var ro = RerankPipeline.Options(asOf: o.asOf)
        ro.k = 5
        ro.learned = learned
        let run = try RerankPipeline.run(store: f.store, model: model, options: ro, progress: Progress(enabled: false))
        let lists = try #require(try f.store.lists(run: run.run))
        #expect(!lists.isEmpty && lists.allSatisfy { $0.items.count <= 5 })
        let warm = try #require(lists.first { $0.items.first?.signals["collaborative"] != nil })
        for item in warm.items { #expect(abs(item.signals.values.reduce(0, +) - item.score) < 1e-4) }
        var hand = RerankPipeline.Options(asOf: o.asOf)
        hand.k = 5
        let handRun = try RerankPipeline.run(store: f.store, model: model, options: hand, progress: Progress(enabled: false))
        #expect(handRun.run != run.run)
    }

    @Test func aChangedOrForeignRankerIsRefused() throws {
        let f = try fixture()
        defer { try? f.store.close() }
        var o = LearnPipeline.Options(asOf: Timestamp.parse("2025-05-15")!)
        o.learner.validationDays = 0
        o.output = f.dir + "/ranker.json"
        _ = try LearnPipeline.run(store: f.store, modelDirectory: f.modelDir, options: o, progress: Progress(enabled: false))
        #expect(try LearnPipeline.load(path: o.output!, model: f.model).training.rows > 0)
        // An edited payload fails its checksum, naming the file.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: o.output!))
        bytes[bytes.count - 10] ^= 1
        try bytes.write(to: URL(fileURLWithPath: f.dir + "/edited.json"))
        #expect { try LearnPipeline.load(path: f.dir + "/edited.json", model: f.model) } throws: { "\($0)".contains("edited.json") && "\($0)".contains("checksum") }
        // A ranker of another topic model is refused.
        var c = TopicModelConfiguration()
        c.dimensions = 4
        c.minDocumentFrequency = 1
        c.maxDocumentFrequency = 0.9
        let other = try TopicModel.fit(documents: try f.store.paperTexts(), configuration: c, createdAt: "2025-05-17T00:00:00Z").0
        #expect { try LearnPipeline.load(path: o.output!, model: other) } throws: { "\($0)".contains("another topic model") }
    }
}

extension LearnPipelineTests {
    /// Leakage: a store whose events after the as-of time come from another simulation (another
    /// seed, moved past as-of) learns byte-identical rankers: nothing after as-of is read.
    @Test func eventsAfterAsOfFromAnotherWorldChangeNothing() throws {
        let a = try fixture()
        defer { try? a.store.close() }
        let b = try fixture()
        defer { try? b.store.close() }
        // Another simulation, its events moved 30 days later (all after the as-of 2025-05-15).
        var sim = ReaderSimulator.Configuration()
        sim.readers = 40
        sim.days = 10
        sim.listLength = 8
        sim.seed = 99
        let (space, _) = try ModelPipeline.space(model: b.model, store: b.store)
        let papers = try b.store.paperSummaries().map { RankingSnapshot.PaperInfo(id: $0.id, publishedAt: $0.publishedAt, upvotes: $0.upvotes) }
        let other = ReaderSimulator(configuration: sim).run(space: space, papers: papers, observations: [], end: Timestamp.parse("2025-05-15")!)
        let later = other.events.map { e -> Event in
            var e = e
            e.at = e.at.addingTimeInterval(30 * 86_400)
            return e
        }
        var summary = IngestSummary(file: "later", kind: "events")
        try b.store.applyEvents(later.enumerated().map { Located(line: $0.offset + 1, row: $0.element) }, into: &summary)
        #expect(summary.accepted > 1000)
        var o = LearnPipeline.Options(asOf: Timestamp.parse("2025-05-15")!)
        o.learner.validationDays = 3
        o.learner.minimumValidationLists = 5
        o.output = a.dir + "/ranker.json"
        _ = try LearnPipeline.run(store: a.store, modelDirectory: a.modelDir, options: o, progress: Progress(enabled: false))
        o.output = b.dir + "/ranker.json"
        _ = try LearnPipeline.run(store: b.store, modelDirectory: b.modelDir, options: o, progress: Progress(enabled: false))
        #expect(try Data(contentsOf: URL(fileURLWithPath: a.dir + "/ranker.json")) == Data(contentsOf: URL(fileURLWithPath: b.dir + "/ranker.json")))
    }
}
