import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO

extension NightlyPipeline {
    /// Ingests the inbox's new files: `papers/` first (so events and counts find their papers),
    /// then `upvotes/`, then `events/`, each in name order. A file is identified by the SHA-256
    /// of its bytes; one already recorded is skipped. Re-ingesting a file whose record was lost
    /// in a kill changes nothing (ingest is idempotent). Returns a one-line note.
    static func ingest(_ c: NightlyConfiguration, store: Store, night: String, progress: Progress) throws -> String {
        var ingested = 0, skipped = 0, rejected = 0, read = 0, failures: [String] = []
        var total = IngestSummary(file: "(total)", kind: "")
        for (folder, kind) in [("papers", IngestKind.papers), ("upvotes", .upvotes), ("events", .events)] {
            let dir = c.inbox + "/" + folder
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            for name in names {
                let path = dir + "/" + name
                let sha = try Experiment.checksum(path).sha256
                if try store.inboxFileIngested(sha256: sha) {
                    skipped += 1
                    continue
                }
                let format: String? = kind != .papers ? nil
                    : name.contains(".arxiv.") ? "arxiv" : name.hasSuffix(".txt") ? "dailypapers" : nil
                let options = IngestOptions(kind: kind, format: format, parse: ParseOptions(now: Date()),
                                            rejectsDirectory: c.inbox + "/rejects")
                let result = Ingestor.run(files: [path], options: options, store: store)[0]
                if let e = result.error {
                    failures.append("\(path): \(e)")
                    continue
                }
                let s = result.summary
                for issue in result.issues.prefix(5) { progress.warning("\(issue)") }
                try store.recordInboxFile(sha256: sha, name: "\(folder)/\(name)", kind: kind.rawValue, night: night,
                                          accepted: s.accepted, rejected: s.rejected)
                ingested += 1
                rejected += s.rejected
                read += s.accepted + s.updated + s.duplicate + s.rejected
                total = IngestSummary.total([total, s])
                progress("ingest \(folder)/\(name): accepted \(s.accepted), updated \(s.updated), duplicate \(s.duplicate), rejected \(s.rejected)")
            }
        }
        if !failures.isEmpty { throw KitError.invalid("ingest failed: " + failures.joined(separator: "; ")) }
        if let m = c.maxRejects, let limit = RejectLimit(parsing: m), let problem = limit.exceeded(by: total) {
            throw KitError.invalid("max_rejects \(m): \(problem); see \(c.inbox)/rejects")
        }
        return "\(ingested) new files (\(read) rows, \(rejected) rejected), \(skipped) already ingested"
    }

    /// The fold-in step: plans the fold-in (or the first fit), records the plan under the night,
    /// then applies it. A rerun finds the plan and re-applies it only when the model is not yet
    /// the night's (its creation time is the as-of time), so its counts never change.
    static func foldIn(_ c: NightlyConfiguration, store: Store, night: String, asOf: Date, clock: any Clock,
                       progress: Progress) throws -> FoldInPipeline.Summary {
        let decoder = JSONDecoder(), encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let stamp = Timestamp.format(asOf)
        let hasModel = (try? ModelFiles.currentVersion(of: c.model)) != nil
        if let recorded = try store.nightStep(night, "fold-in") {
            let s = try decoder.decode(FoldInPipeline.Summary.self, from: Data(recorded.utf8))
            let current = hasModel ? try ModelFiles.load(from: c.model).createdAt : nil
            if current != stamp && s.newPapers > 0 {
                progress("fold-in: re-applying the recorded plan of \(night) (\(s.reason))")
                if s.papersBefore == 0 {
                    _ = try FoldInPipeline.fitFirst(store: store, directory: c.model, configuration: c.topicModelConfiguration,
                                                    clock: clock, progress: progress)
                } else {
                    try FoldInPipeline.apply(try FoldInPipeline.plan(store: store, directory: c.model, thresholds: c.refit),
                                             fit: c.topicModelConfiguration, clock: clock, progress: progress)
                }
            }
            return s
        }
        if !hasModel {
            let texts = try store.paperTexts().count
            let s = FoldInPipeline.Summary(model: c.model, papersBefore: 0, newPapers: texts, foldedInShare: 0, vocabularyDrift: 0,
                                           refit: true, reason: "no model yet: fitted on \(texts) papers", papersAfter: texts)
            try store.recordNightStep(night, "fold-in", result: String(decoding: try encoder.encode(s), as: UTF8.self))
            if texts > 0 {
                _ = try FoldInPipeline.fitFirst(store: store, directory: c.model, configuration: c.topicModelConfiguration,
                                                clock: clock, progress: progress)
            }
            return s
        }
        let plan = try FoldInPipeline.plan(store: store, directory: c.model, thresholds: c.refit)
        try store.recordNightStep(night, "fold-in", result: String(decoding: try encoder.encode(plan.summary), as: UTF8.self))
        try FoldInPipeline.apply(plan, fit: c.topicModelConfiguration, clock: clock, progress: progress)
        return plan.summary
    }

    /// How the previous night's lists did against the events logged from its as-of time to
    /// `until` (exclusive). Readers: those with a list in that run and any event in the window.
    /// CTR@k = mean over them of (papers of the list's first k the reader read, saved or upvoted
    /// in the window) / k; nDCG@10 with the window's events as judgments (`JudgmentPolicy.default`:
    /// read 1, save and upvote 2, skip and impression 0; trec_eval conventions); coverage =
    /// distinct papers in all lists' first k / the run's candidates. Lists are streamed.
    struct Evaluation {
        var readers: Int
        var ctr: Double?
        var ndcg: Double?
        var coverage: Double?
        func value(_ metric: String) -> Double? { metric == "ctr@k" ? ctr : ndcg }
    }

    static func evaluate(_ previous: NightlyHistoryRow, store: Store, until: Date, k: Int) throws -> NightlyEvaluation {
        guard let from = Timestamp.parse(previous.asOf), let info = try store.run(id: previous.run), info.complete else {
            throw KitError.notFound("the previous night's run \(previous.run) is not in the store (pruned?); keep_runs must be ≥ 2")
        }
        let events = try store.events(in: from..<until)
        let qrels = JudgmentPolicy.default.judgments(from: events)
        let clicked = Set(events.filter { [.read, .save, .upvote].contains($0.kind) }.map { "\($0.user.rawValue)\u{1F}\($0.paper.rawValue)" })
        let evaluator = Evaluator(qrels: qrels)
        var readers = 0, ctrSum = 0.0, ndcgSum = 0.0
        var shown = Set<PaperID>()
        try store.forEachList(run: info.id) { list in
            let top = list.items.prefix(k)
            for item in top { shown.insert(item.paper) }
            guard qrels.judgments[list.user] != nil else { return }
            readers += 1
            ctrSum += Double(top.filter { clicked.contains("\(list.user.rawValue)\u{1F}\($0.paper.rawValue)") }.count) / Double(k)
            let items = zip(list.items, RunScores.strictlyDecreasing(list.items.map(\.score))).map { ScoredPaper(paper: $0.paper, score: $1) }
            ndcgSum += Metric.ndcg(cutoff: 10).value(evaluator.judgedRanking(user: list.user, items: items))
        }
        return NightlyEvaluation(readers: readers, ctr: readers > 0 ? ctrSum / Double(readers) : nil,
                                 ndcg: readers > 0 ? ndcgSum / Double(readers) : nil,
                                 coverage: previous.candidates > 0 ? Double(shown.count) / Double(previous.candidates) : nil)
    }

    /// `PUBLISH/latest` → `NIGHT` (a relative symlink, replaced atomically by rename).
    static func pointLatest(_ publish: String, at night: String) throws {
        let link = publish + "/latest", temp = publish + "/.latest.tmp"
        try? FileManager.default.removeItem(atPath: temp)
        try FileManager.default.createSymbolicLink(atPath: temp, withDestinationPath: night)
        guard rename(temp, link) == 0 else { throw KitError.invalid("\(link): cannot point it at \(night) (errno \(errno))") }
    }

    /// Keeps the newest `keep_runs` complete runs and published nights; returns how many runs went.
    static func prune(_ c: NightlyConfiguration, store: Store, keepingNight night: String) throws -> Int {
        let pruned = try store.pruneRuns(keep: c.keepRuns)
        let kept = Set(try store.nightlyHistory().suffix(c.keepRuns).map(\.night) + [night])
        let names = (try? FileManager.default.contentsOfDirectory(atPath: c.publish)) ?? []
        for name in names where name.range(of: #"^\d{4}-\d\d-\d\d$"#, options: .regularExpression) != nil && !kept.contains(name) {
            try? FileManager.default.removeItem(atPath: c.publish + "/" + name)
        }
        return pruned.count
    }
}

typealias NightlyEvaluation = NightlyPipeline.Evaluation
