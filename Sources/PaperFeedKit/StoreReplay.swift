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
        /// With `judgment: logged-lists`: each reader's candidates are only the papers shown to
        /// them in the test window (lists are filtered to these).
        var shown: [UserID: Set<PaperID>]? = nil

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
                asOf: cutoff, papers: known.map { .init(id: $0.id, publishedAt: $0.publishedAt, upvotes: nil, categories: $0.categories) },
                events: split.train, observations: before)
            let start = cutoff.addingTimeInterval(-window * 86_400)
            let candidates = known.filter { $0.publishedAt! > start && space.index[$0.id] != nil }.map(\.id).sorted()
            var shown: [UserID: Set<PaperID>]? = nil
            if let hidden {
                let pool = Set(candidates)
                for u in readers {
                    // Daily judgments (USER@DAY, `simulate --daily-qrels`) first, then per reader.
                    let row = (hidden[UserID(u.rawValue + suffix)] ?? hidden[u] ?? [:]).filter { pool.contains($0.key) }
                    if !row.isEmpty { qrels[UserID(u.rawValue + suffix)] = row }
                }
            } else if source.judgment == "logged-lists" {
                let pool = Set(candidates)
                let examination = FeedbackScorer(configuration: RankingConfiguration().feedback, snapshot: snapshot).examination
                let (lists, grades) = loggedListJudgments(split.test, pool: pool, examination: examination)
                shown = lists
                for (u, row) in grades { qrels[UserID(u.rawValue + suffix)] = row }
            } else {
                let judged = Set(split.testReaders)
                for (u, row) in split.qrels().judgments where judged.contains(u) { qrels[UserID(u.rawValue + suffix)] = row }
            }
            var exclude: [UserID: Set<PaperID>] = [:]
            for pair in split.trainPositives { exclude[pair.user, default: []].insert(pair.paper) }
            days.append(Day(cutoff: cutoff, suffix: suffix, readers: readers, model: model, space: space, snapshot: snapshot,
                            known: known, observations: before, candidates: candidates, exclude: exclude,
                            test: split.test, train: split.train, shown: shown))
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
                ?? (source.judgment == "logged-lists"
                    ? "judgments: logged reads on the logged lists — each reader's candidates are the papers shown to them that day; a read gains 100·grade / ê(position) (read 1, save/upvote 2; ê estimated from the training log, at least 0.05), an unread paper 0; "
                    : "judgments: JudgmentPolicy.default over the test-window events (read 1, save/upvote 2, impression/skip 0); "))
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
            if let shown = day.shown {
                // Rank every candidate, keep the reader's shown papers in the ranker's order.
                let lists = try ranker(day).rank(users: day.readers, candidates: day.candidates, exclude: day.exclude, k: day.candidates.count)
                out += lists.map { l in
                    let keep = shown[l.user] ?? []
                    return RankedList(user: day.outputID(l.user), items: Array(l.items.lazy.filter { keep.contains($0.paper) }.prefix(k)))
                }
            } else {
                let lists = try ranker(day).rank(users: day.readers, candidates: day.candidates, exclude: day.exclude, k: k)
                out += lists.map { RankedList(user: day.outputID($0.user), items: $0.items) }
            }
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
        case "learned":
            var c = try RankingConfiguration.load(path: system.learner?.config)
            c.candidates.windowDays = window
            var l = RankerLearner.Configuration()
            if let v = system.learner?.validationDays { l.validationDays = v }
            if let v = system.learner?.propensityClip { l.propensityClip = v }
            if let names = system.learner?.features {
                l.features = try names.map { n in
                    guard let f = RankerFeature(rawValue: n) else {
                        throw KitError.invalid("system \(system.name): unknown feature \"\(n)\"; use "
                            + RankerFeature.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    return f
                }
            }
            if let p = l.problems().first { throw KitError.invalid("system \(system.name): \(p)") }
            return LearnedBaseline(name: system.name, configuration: c, learner: l, space: day.space, snapshot: day.snapshot)
        case let b:
            guard var r = BlendBaseline.named(b, window: window, space: day.space, snapshot: day.snapshot) else {
                throw KitError.invalid("system \(system.name): unknown baseline \"\(b)\"; use random, most-recent, "
                    + "most-upvoted, trend-only, content-only, feedback-only, freshness-only, collaborative-only, "
                    + "category-only, seen-only, skipped-only, blend or learned")
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

extension StoreReplay {
    /// Logged-list judgments (`judgment: logged-lists`): per reader, the candidates shown in the
    /// test window, and the grades of the read ones, position-debiased by inverse examination
    /// (Joachims, Swaminathan & Schnabel, WSDM 2017): gain = round(100·grade / max(ê(p), 0.05)),
    /// grade 1 read, 2 saved or upvoted, p the position of the paper's first impression that day.
    /// Under the position-based model a read at p is seen with probability e(p), so read/e(p)
    /// has the expectation of the paper's relevance; nDCG is unchanged by the factor 100.
    static func loggedListJudgments(_ test: [Event], pool: Set<PaperID>, examination: [Double])
        -> (shown: [UserID: Set<PaperID>], grades: [UserID: [PaperID: Int]]) {
        var shown: [UserID: Set<PaperID>] = [:]
        var position: [UserID: [PaperID: Int]] = [:]
        var grade: [UserID: [PaperID: Int]] = [:]
        for e in test where pool.contains(e.paper) {
            switch e.kind {
            case .impression:
                shown[e.user, default: []].insert(e.paper)
                if position[e.user]?[e.paper] == nil { position[e.user, default: [:]][e.paper] = e.position ?? 0 }
            case .read: grade[e.user, default: [:]][e.paper] = max(grade[e.user]?[e.paper] ?? 0, 1)
            case .save, .upvote: grade[e.user, default: [:]][e.paper] = 2
            case .skip: break
            }
        }
        var out: [UserID: [PaperID: Int]] = [:]
        for (u, row) in grade {
            for (p, g) in row {
                guard shown[u]?.contains(p) == true else { continue }
                let pos = position[u]?[p] ?? 0
                let e = pos >= 1 && !examination.isEmpty ? examination[min(pos, examination.count) - 1] : 1
                out[u, default: [:]][p] = Int((100 * Double(g) / max(e, 0.05)).rounded())
            }
        }
        return (shown, out)
    }
}
