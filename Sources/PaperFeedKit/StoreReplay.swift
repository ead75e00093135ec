import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO
import Ranking
import TopicModel

/// The prepared cut-offs of a store experiment: everything each system may use at each cut-off,
/// built once and shared by every system (and by every configuration `paperfeed tune` tries).
///
/// At each cut-off T, from data before T only: the topic model is fitted on papers published at
/// or before T (a listing dated T is available at T), the snapshot holds the training events and
/// the upvote observations before T, and the candidates are the papers published in
/// (T − window, T] that are in the topic space. Replay days are pooled: reader ids become
/// `USER@YYYY-MM-DD`.
///
/// **Readers.** Ranked: every reader with any event in the test window (a visit), so the
/// off-policy estimate has a new list for every logged list. Judged: with hidden qrels, each
/// ranked reader's hidden grades over the cut-off's candidates; otherwise
/// `JudgmentPolicy.default` over the test-window events of readers with a positive test event.
struct StoreReplay {
    /// One cut-off.
    struct Day {
        var cutoff: Date
        /// `@YYYY-MM-DD` for replay days, empty for a single temporal cut-off.
        var suffix: String
        /// Readers to rank (raw ids, byte order).
        var readers: [UserID]
        var model: TopicModel
        var space: TopicSpace
        var snapshot: RankingSnapshot
        /// Papers known at the cut-off and the upvote observations before it (baselines).
        var known: [Paper]
        var observations: [UpvoteObservation]
        var candidates: [PaperID]
        /// Each reader's training positives (removed from every system's list).
        var exclude: [UserID: Set<PaperID>]
        /// Test-window events (the off-policy log of this cut-off).
        var test: [Event]
        /// Training events (segments).
        var train: [Event]

        func outputID(_ user: UserID) -> UserID { UserID(user.rawValue + suffix) }
    }

    var days: [Day]
    /// Judgments keyed by output reader id.
    var qrels: Qrels
    var window: Double
    var describeData: String
    var describeSplit: String
    var judgmentNote: String

    /// Builds the cut-offs of `split` (kind `temporal` or `replay`) over the store in `source`.
    static func prepare(_ source: ExperimentConfiguration.StoreSource, split spec: ExperimentConfiguration.SplitSpec,
                        seed: UInt64, progress: Progress) throws -> StoreReplay {
        let store = try Store.openExisting(path: source.db)
        defer { try? store.close() }
        let papers = try store.papers().filter { !$0.source.hasPrefix("corpus:") }
        let events = try store.events()
        let observations = try store.upvoteObservations()
        let splits = try makeSplits(spec, events: events)
        let window = source.candidateWindowDays ?? RankingConfiguration().candidates.windowDays
        let hidden = try source.hiddenQrels.map { try TrecFormat.readQrels(path: $0) }
        var qrels = Qrels()
        var days: [Day] = []
        for split in splits {
            try split.validate()
            let cutoff = split.cutoff
            let suffix = splits.count > 1 ? "@" + Timestamp.formatDay(cutoff) : ""
            let readers = Set(split.test.map(\.user)).sorted()
            guard !readers.isEmpty else { continue }
            let known = papers.filter { ($0.publishedAt ?? .distantFuture) <= cutoff }
            let texts = known.filter { !$0.text.isEmpty && !($0.title.isEmpty && $0.abstract.isEmpty) }
            var mc = TopicModelConfiguration()
            mc.dimensions = min(source.dims ?? 128, max(2, texts.count - 1))
            mc.seed = seed
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
            } else {
                let judged = Set(split.testReaders)
                for (u, row) in split.qrels().judgments where judged.contains(u) { qrels[UserID(u.rawValue + suffix)] = row }
            }
            var exclude: [UserID: Set<PaperID>] = [:]
            for pair in split.trainPositives { exclude[pair.user, default: []].insert(pair.paper) }
            days.append(Day(cutoff: cutoff, suffix: suffix, readers: readers, model: model, space: space, snapshot: snapshot,
                            known: known, observations: before, candidates: candidates, exclude: exclude,
                            test: split.test, train: split.train))
        }
        guard !days.isEmpty else { throw KitError.invalid("the split has no reader with an event in its test window") }
        let text = splits.count > 1
            ? "as-of replay, \(splits.count) days \(Timestamp.formatDay(splits.first!.cutoff)) … \(Timestamp.formatDay(splits.last!.cutoff))"
            : "temporal, cut-off \(Timestamp.format(splits[0].cutoff))" + (splits[0].end.map { ", test until \(Timestamp.format($0))" } ?? "")
        return StoreReplay(
            days: days, qrels: qrels, window: window,
            describeData: "store \(source.db) (\(papers.count) papers, \(events.count) events)",
            describeSplit: text + "; candidates: papers published in the \(window) days before the cut-off",
            judgmentNote: (source.hiddenQrels.map { "judgments: the hidden relevance in \($0) (grades over each cut-off's candidates), not the logged events; " }
                ?? "judgments: JudgmentPolicy.default over the test-window events (read 1, save/upvote 2, impression/skip 0); ")
                + "readers ranked: every reader with an event in the test window; their training positives are excluded")
    }

    static func makeSplits(_ spec: ExperimentConfiguration.SplitSpec, events: [Event]) throws -> [EventSplit] {
        func date(_ text: String?, _ key: String) throws -> Date {
            guard let text, let d = Timestamp.parse(text) else { throw KitError.invalid("split: \(key) is missing or not a date (YYYY-MM-DD)") }
            return d
        }
        switch spec.kind {
        case "temporal":
            return [try EventSplit.temporal(events: events, cutoff: date(spec.cutoff, "cutoff"), horizon: spec.horizonDays.map { $0 * 86_400 })]
        case "replay":
            return try EventSplit.replayDays(events: events, first: date(spec.first, "first"), last: date(spec.last, "last"))
        default:
            throw KitError.invalid("store experiments support split kinds temporal and replay (got \"\(spec.kind)\"); "
                + "per-reader last-n needs one model per reader cut-off: use EventSplit.lastN from the library")
        }
    }

    /// Every day's lists of `ranker(day)`, reader ids suffixed, in day then reader order.
    func rank(k: Int, _ ranker: (Day) throws -> any CandidateRanker) throws -> [RankedList] {
        var out: [RankedList] = []
        for day in days {
            let lists = try ranker(day).rank(users: day.readers, candidates: day.candidates, exclude: day.exclude, k: k)
            out += lists.map { RankedList(user: day.outputID($0.user), items: $0.items) }
        }
        return out
    }

    /// The ranker a system spec names, at one cut-off.
    func ranker(_ system: ExperimentConfiguration.SystemSpec, day: Day, seed: UInt64) throws -> any CandidateRanker {
        if let file = system.blend {
            return blend(try RankingConfiguration.load(path: file), name: system.name, day: day)
        }
        switch system.baseline! {
        case "random": return RandomRanker(name: system.name, seed: seed)
        case "most-recent": return Baselines.mostRecent(day.known, name: system.name)
        case "most-upvoted": return Baselines.mostUpvoted(day.observations, name: system.name)
        case let b:
            guard var r = BlendBaseline.named(b, window: window, space: day.space, snapshot: day.snapshot) else {
                throw KitError.invalid("system \(system.name): unknown baseline \"\(b)\"; use random, most-recent, "
                    + "most-upvoted, trend-only, content-only, feedback-only, freshness-only or blend")
            }
            r.name = system.name
            return r
        }
    }

    /// The blend with `configuration` (its candidate window set to the experiment's) at one cut-off.
    func blend(_ configuration: RankingConfiguration, name: String, day: Day) -> BlendBaseline {
        var c = configuration
        c.candidates.windowDays = window
        return BlendBaseline(name: name, configuration: c, space: day.space, snapshot: day.snapshot)
    }
}
