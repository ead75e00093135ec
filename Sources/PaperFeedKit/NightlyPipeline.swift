import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO
import Ranking
import TopicModel

/// `paperfeed nightly`: the whole night in one idempotent, resumable job (docs/outputs.md
/// "nightly"). Steps, each logged with its duration:
///
/// 1. **ingest** every new file of the inbox (`papers/`, `upvotes/`, `events/`, name order; a
///    file whose SHA-256 was ingested before is skipped);
/// 2. **fold-in** the new papers into the model, or refit past the thresholds (`FoldInPipeline`;
///    the first night fits a model);
/// 3. **learn** — the place where a learned ranker is (re)trained (`learn(_:)`);
/// 4. **rerank** every reader as of the night (`RerankPipeline`, resumable by its run id);
/// 5. **evaluate** the previous published run against the events logged since it: CTR@k and
///    nDCG@10 by the logged reads, and catalog coverage;
/// 6. **publish**: export the run (`ExportPipeline`) to `PUBLISH/NIGHT/`, point `PUBLISH/latest`
///    at it, append the history row, prune old runs and published nights.
///
/// A lock (`flock` on `DB.nightly.lock`) keeps two runs apart. Every step's outcome is
/// deterministic in its inputs and the fold-in's plan is recorded before the model changes, so
/// a kill at any point followed by a rerun finishes the same night with the same bytes and
/// without duplicates. A night already published is reported and left alone (exit 0).
/// Refusals (exit 2): another run holds the lock, no new papers, a stale as-of, 0 candidates, a
/// quality drop past the configured threshold.
public enum NightlyPipeline {
    public struct Step: Sendable, Codable {
        public var step: String
        public var seconds: Double
        public var note: String
    }

    public struct Summary: Sendable, Codable, SchemaVersioned {
        public var schemaVersion = Schema.version
        public var night: String
        public var asOf: String
        /// `published`, `already_published` or `refused`.
        public var outcome: String
        public var reason: String?
        public var steps: [Step] = []
        public var history: NightlyHistoryRow?
        enum CodingKeys: String, CodingKey {
            case schemaVersion = "schema_version", night, asOf = "as_of", outcome, reason, steps, history
        }
    }

    /// The night was refused (exit 2); `summary` says how far it got.
    public struct Refused: Error, CustomStringConvertible {
        public var reason: String
        public var summary: Summary
        public var description: String { reason }
    }

    /// For tests of recovery: throw after this step.
    public struct Stopped: Error, CustomStringConvertible {
        public var step: String
        public var description: String { "nightly stopped on purpose after \(step)" }
    }

    public static func run(configuration c: NightlyConfiguration, asOf: Date, progress: Progress,
                           stopAfter: String? = nil) throws -> Summary {
        let night = Timestamp.formatDay(asOf)
        var summary = Summary(night: night, asOf: Timestamp.format(asOf), outcome: "published")
        func refuse(_ reason: String) -> Refused {
            summary.outcome = "refused"
            summary.reason = reason
            progress("nightly \(night) refused: \(reason)")
            return Refused(reason: reason, summary: summary)
        }
        func step<T>(_ name: String, _ body: () throws -> (T, String)) throws -> T {
            let t = ModelPipeline.now()
            progress("\(name): started")
            let (value, note) = try body()
            let seconds = ModelPipeline.now() - t
            summary.steps.append(Step(step: name, seconds: seconds, note: note))
            progress("\(name): \(note) (\(String(format: "%.2f", seconds)) s)")
            if stopAfter == name { throw Stopped(step: name) }
            return value
        }

        guard let lock = try FileLock(path: c.db + ".nightly.lock") else {
            throw refuse("another paperfeed nightly holds the lock \(c.db).nightly.lock")
        }
        defer { lock.unlock() }
        let store = try Store(path: c.db)
        defer { try? store.close() }
        let history = try store.nightlyHistory()
        if let done = history.first(where: { $0.night == night }) {
            summary.outcome = "already_published"
            summary.reason = "night \(night) was published already (run \(done.run)); nothing to do"
            summary.history = done
            progress(summary.reason!)
            return summary
        }
        if let last = history.last, last.night > night {
            throw refuse("stale as-of: \(night) is before the last published night \(last.night)")
        }
        let clock = FixedClock(asOf)

        try step("ingest") { ((), try ingest(c, store: store, night: night, progress: progress)) }
        // A stale as-of is refused before anything but the inbox changes (the model stays as it is).
        let newest = try store.paperSummaries().compactMap(\.publishedAt).max()
        if let newest, asOf.timeIntervalSince(newest) > c.refuse.maxStalenessDays * 86_400 {
            throw refuse("stale as-of: the newest paper (\(Timestamp.formatDay(newest))) is more than "
                + "\(ReportNumber.g(c.refuse.maxStalenessDays)) days before \(Timestamp.format(asOf))")
        }
        let fold: FoldInPipeline.Summary = try step("fold-in") {
            let s = try foldIn(c, store: store, night: night, asOf: asOf, clock: clock, progress: progress)
            return (s, s.reason)
        }
        guard fold.newPapers > 0 else { throw refuse("no new papers for night \(night): the model already has every paper in the store") }
        let model = try ModelPipeline.load(c.model)
        let (ranking, learned) = try step("learn") { () -> ((RankingConfiguration, LearnedRanker?), String) in
            let r = try learn(LearnInput(configuration: c, store: store, model: model, asOf: asOf, progress: progress))
            return ((r.ranking, r.learned), r.note)
        }
        let rerank: RerankPipeline.Summary = try step("rerank") {
            var o = RerankPipeline.Options(asOf: asOf)
            o.k = c.k
            o.configuration = ranking
            o.learned = learned
            do {
                let s = try RerankPipeline.run(store: store, model: model, options: o, progress: progress)
                return (s, "run \(s.run): \(s.readers) readers (\(s.resumed) resumed), \(s.candidates) candidates")
            } catch let e as RerankPipeline.NoCandidates {
                throw refuse("\(e)")
            }
        }
        let previous = history.last
        let quality: NightlyEvaluation? = try step("evaluate") {
            guard let previous else { return (nil, "first night: no previous run to evaluate") }
            let e = try evaluate(previous, store: store, until: asOf, k: c.evaluateK)
            return (e, "run \(previous.run) against the events since \(previous.asOf): \(e.readers) active readers, "
                + "CTR@\(c.evaluateK) \(e.ctr.map(ReportFormat.v) ?? "–"), nDCG@10 \(e.ndcg.map(ReportFormat.v) ?? "–"), "
                + "coverage \(e.coverage.map(ReportFormat.v) ?? "–")")
        }
        if let drop = c.refuse.maxQualityDrop, let now = quality?.value(c.refuse.qualityMetric),
           let before = history.reversed().lazy.compactMap({ $0.value(c.refuse.qualityMetric) }).first, before - now > drop {
            throw refuse("quality drop: \(c.refuse.qualityMetric) of the previous run fell from \(ReportFormat.v(before)) to "
                + "\(ReportFormat.v(now)), more than the \(ReportFormat.v(drop)) allowed (refuse.max_quality_drop)")
        }
        let row: NightlyHistoryRow = try step("publish") {
            let folder = c.publish + "/" + night
            let info = try DeliveredList.resolve(store: store, reference: rerank.run)
            _ = try ExportPipeline.run(store: store, run: info, formats: c.formats.compactMap(ExportPipeline.Format.init(rawValue:)),
                                       out: folder, progress: Progress(enabled: false))
            try pointLatest(c.publish, at: night)
            let row = NightlyHistoryRow(
                night: night, asOf: Timestamp.format(asOf), run: rerank.run, readers: rerank.readers, candidates: rerank.candidates,
                newPapers: fold.newPapers, foldedIn: fold.refit ? 0 : fold.newPapers, refit: fold.refit, evaluatedRun: previous?.run,
                evaluatedReaders: quality?.readers ?? 0, ctrAtK: quality?.ctr, ndcgAt10: quality?.ndcg, coverage: quality?.coverage,
                published: folder)
            try store.recordPublishedNight(row)
            let pruned = try prune(c, store: store, keepingNight: night)
            return (row, "\(folder) (latest); pruned \(pruned) old runs")
        }
        summary.history = row
        return summary
    }

    /// What the learn step gets: everything the night knows before ranking.
    public struct LearnInput {
        public var configuration: NightlyConfiguration
        public var store: Store
        public var model: TopicModel
        public var asOf: Date
        public var progress: Progress
    }

    /// THE LEARN STEP: the ranker is learned each night from the store's events before as-of
    /// (`LearnPipeline`: `RankerLearner`, regularization chosen on the last days) and attached to
    /// the model version, and the rerank step ranks with it. A rerun of the same night finds the
    /// ranker learned at this as-of on the current version and uses it as it is (no second fit).
    /// While the log cannot be learned from (no read after an impression yet: the first nights of
    /// a feed), or with `learn: false` in the nightly configuration, the hand-set blend of
    /// `ranking` ranks, and the note says so.
    static func learn(_ input: LearnInput) throws -> (ranking: RankingConfiguration, learned: LearnedRanker?, note: String) {
        let c = input.configuration
        let ranking = try RankingConfiguration.load(path: c.ranking)
        let blend = "the hand-set blend of \(c.ranking ?? "the built-in defaults")"
        guard c.learn else { return (ranking, nil, "learning off (learn: false): \(blend)") }
        let version = try ModelFiles.currentVersion(of: c.model)
        if let existing = try LearnPipeline.attached(to: version, model: input.model),
           existing.training.asOf == Timestamp.format(input.asOf) {
            return (ranking, existing, "ranker learned at this as-of already (\(existing.training.rows) impressions): used as it is")
        }
        var o = LearnPipeline.Options(asOf: input.asOf)
        o.ranking = ranking
        do {
            let s = try LearnPipeline.run(store: input.store, modelDirectory: c.model, options: o, progress: input.progress)
            let learned = try LearnPipeline.attached(to: try ModelFiles.currentVersion(of: c.model), model: input.model)
            return (ranking, learned, "learned from \(s.rows) impressions (\(s.positives) read) of \(s.readers) readers, λ \(s.regularization)")
        } catch RankingError.learning(let why) {
            return (ranking, nil, "not learned (\(why)): \(blend)")
        }
    }
}

extension NightlyHistoryRow {
    func value(_ metric: String) -> Double? { metric == "ctr@k" ? ctrAtK : ndcgAt10 }
}
