import Foundation
import PaperFeedCore
@testable import PaperFeedIO
import Ranking
import TopicModel

@testable import PaperFeedKit

/// Shapes of the themed fixture store (`themedStore`).
struct ThemedStoreShape {
    var papers = 120
    var papersPerDay = 8
    var paperSeed: UInt64 = 5
    var readers = 30
    var listLength = 6
    var simulationSeed: UInt64 = 3
    /// Also write the events (JSONL) and the hidden relevance (qrels) into the folder.
    var writeFiles = false
}

/// A store of dated papers (2025-05-01 on, `papersPerDay` a day) on four themes, an 8-dim topic
/// model, and SYNTHETIC readers simulated over the ten days before 2025-05-15. Returns the open
/// store, the model and the folder (with `events.jsonl` and `hidden.qrels` when asked).
func themedStore(_ shape: ThemedStoreShape = .init()) throws -> (store: Store, model: TopicModel, dir: String, papers: [Located<Paper>]) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pf-kit-\(UUID().uuidString)").path
    let store = try Store(path: dir + "/db.sqlite")
    let themes = [
        ["graph", "neural", "network", "node", "edge", "message"], ["protein", "folding", "molecule", "drug", "binding", "chemistry"],
        ["language", "model", "token", "translation", "prompt", "reasoning"], ["robot", "control", "policy", "grasp", "locomotion", "manipulation"],
    ]
    var g = SeededGenerator(seed: shape.paperSeed)
    var papers: [Located<Paper>] = []
    for i in 0..<shape.papers {
        let theme = themes[i % 4]
        let words = (0..<25).map { _ in theme[Int(g.next() % UInt64(theme.count))] }
        let day = Timestamp.date(year: 2025, month: 5, day: 1 + i / shape.papersPerDay)!
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
    sim.readers = shape.readers
    sim.days = 10
    sim.listLength = shape.listLength
    sim.seed = shape.simulationSeed
    _ = try SimulatePipeline.run(store: store, model: model, configuration: sim, end: Timestamp.parse("2025-05-15"),
                                 eventsFile: shape.writeFiles ? dir + "/events.jsonl" : nil,
                                 qrelsFile: shape.writeFiles ? dir + "/hidden.qrels" : nil,
                                 storeEvents: true, progress: Progress(enabled: false))
    return (store, model, dir, papers)
}
