import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO
import Ranking
import TopicModel

extension Experiment {
    /// Store experiments: `temporal` (one cut-off) or `replay` (one cut-off per day). At each
    /// cut-off T, from data before T only: the topic model is fitted on papers published before
    /// T, the snapshot holds the training events and the upvote observations before T, the
    /// candidates are papers published in (T − window, T] (a listing dated T is available at T). Judgments: `JudgmentPolicy.default`
    /// over the test-window events. Replay days are pooled: reader ids become `USER@YYYY-MM-DD`.
    static func runStore(_ source: ExperimentConfiguration.StoreSource, config: ExperimentConfiguration,
                         progress: Progress) throws -> Outcome {
        let store = try Store(path: source.db)
        defer { try? store.close() }
        let papers = try store.papers().filter { !$0.source.hasPrefix("corpus:") }
        let events = try store.events()
        let observations = try store.upvoteObservations()
        let splits: [EventSplit]
        let spec = config.split
        func date(_ text: String?, _ key: String) throws -> Date {
            guard let text, let d = Timestamp.parse(text) else { throw KitError.invalid("split: \(key) is missing or not a date (YYYY-MM-DD)") }
            return d
        }
        switch spec.kind {
        case "temporal":
            splits = [try EventSplit.temporal(events: events, cutoff: date(spec.cutoff, "cutoff"), horizon: spec.horizonDays.map { $0 * 86_400 })]
        case "replay":
            splits = try EventSplit.replayDays(events: events, first: date(spec.first, "first"), last: date(spec.last, "last"))
        default:
            throw KitError.invalid("store experiments support split kinds temporal and replay (got \"\(spec.kind)\"); "
                + "per-reader last-n needs one model per reader cut-off: use EventSplit.lastN from the library")
        }
        let window = source.candidateWindowDays ?? RankingConfiguration().candidates.windowDays
        let hidden = try source.hiddenQrels.map { try TrecFormat.readQrels(path: $0) }
        var qrels = Qrels()
        var runs: [String: (lists: [RankedList], seconds: Double)] = [:]
        for split in splits {
            try split.validate()
            let cutoff = split.cutoff
            let readers = split.testReaders
            guard !readers.isEmpty else { continue }
            let suffix = splits.count > 1 ? "@" + Timestamp.formatDay(cutoff) : ""
            if hidden == nil {
                for (u, row) in split.qrels().judgments where readers.contains(u) { qrels[UserID(u.rawValue + suffix)] = row }
            }
            let known = papers.filter { ($0.publishedAt ?? .distantFuture) <= cutoff }
            let texts = known.filter { !$0.text.isEmpty && !($0.title.isEmpty && $0.abstract.isEmpty) }
            var mc = TopicModelConfiguration()
            mc.dimensions = min(source.dims ?? 128, max(2, texts.count - 1))
            mc.seed = config.seed
            mc.minDocumentFrequency = texts.count < 50 ? 1 : mc.minDocumentFrequency
            mc.maxDocumentFrequency = texts.count < 50 ? 1 : mc.maxDocumentFrequency
            progress("cut-off \(Timestamp.format(cutoff)): fitting on \(texts.count) papers, \(readers.count) readers to rank")
            let model = try TopicModel.fit(documents: texts.map { (id: $0.id, text: $0.text) }, configuration: mc,
                                           createdAt: Timestamp.format(cutoff)).0
            let space = try TopicSpace(ids: model.paperIDs, embeddings: model.embeddings, centered: true)
            let before = observations.filter { $0.observedAt < cutoff }
            let snapshot = RankingSnapshot(
                asOf: cutoff, papers: known.map { .init(id: $0.id, publishedAt: $0.publishedAt, upvotes: nil) },
                events: split.train, observations: before)
            let start = cutoff.addingTimeInterval(-window * 86_400)
            let candidates = known.filter { $0.publishedAt! > start && space.index[$0.id] != nil }.map(\.id).sorted()
            if let hidden {
                let pool = Set(candidates)
                for u in readers {
                    let row = (hidden[u] ?? [:]).filter { pool.contains($0.key) }
                    if !row.isEmpty { qrels[UserID(u.rawValue + suffix)] = row }
                }
            }
            var exclude: [UserID: Set<PaperID>] = [:]
            for pair in split.trainPositives { exclude[pair.user, default: []].insert(pair.paper) }
            for system in config.systems {
                let t = ModelPipeline.now()
                let ranker: any CandidateRanker
                if let file = system.blend {
                    var c = try RankingConfiguration.load(path: file)
                    c.candidates.windowDays = window
                    ranker = BlendBaseline(name: system.name, configuration: c, space: space, snapshot: snapshot)
                } else {
                    switch system.baseline! {
                    case "random": ranker = RandomRanker(name: system.name, seed: config.seed)
                    case "most-recent": ranker = Baselines.mostRecent(known, name: system.name)
                    case "most-upvoted": ranker = Baselines.mostUpvoted(before, name: system.name)
                    case let b:
                        guard let r = BlendBaseline.named(b, window: window, space: space, snapshot: snapshot) else {
                            throw KitError.invalid("system \(system.name): unknown baseline \"\(b)\"; use random, most-recent, "
                                + "most-upvoted, trend-only, content-only or blend")
                        }
                        ranker = r
                    }
                }
                let lists = try ranker.rank(users: readers, candidates: candidates, exclude: exclude, k: config.k)
                    .map { RankedList(user: UserID($0.user.rawValue + suffix), items: $0.items) }
                runs[system.name, default: ([], 0)].lists += lists
                runs[system.name, default: ([], 0)].seconds += ModelPipeline.now() - t
            }
        }
        let text = splits.count > 1
            ? "as-of replay, \(splits.count) days \(Timestamp.formatDay(splits.first!.cutoff)) … \(Timestamp.formatDay(splits.last!.cutoff))"
            : "temporal, cut-off \(Timestamp.format(splits[0].cutoff))" + (splits[0].end.map { ", test until \(Timestamp.format($0))" } ?? "")
        return Outcome(
            qrels: qrels,
            runs: config.systems.map { SystemRun(name: $0.name, run: Run(rankedLists: runs[$0.name]?.lists ?? []), seconds: runs[$0.name]?.seconds ?? 0) },
            data: "store \(source.db) (\(papers.count) papers, \(events.count) events)",
            split: text + "; candidates: papers published in the \(window) days before the cut-off",
            notes: [(source.hiddenQrels.map { "judgments: the hidden relevance in \($0) (grades over each cut-off's candidates), not the logged events; " }
                ?? "judgments: JudgmentPolicy.default over the test-window events (read 1, save/upvote 2, impression/skip 0); ")
                + "readers ranked: those with a positive test event; their training positives are excluded"])
    }
}
