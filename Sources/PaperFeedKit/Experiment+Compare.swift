import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO

extension Experiment {
    /// `paperfeed compare --config FILE`: runs the experiment (the same split, readers and
    /// judgments for every system), then compares the systems against the baseline (the
    /// config's `compare.baseline`, default the first system) with `Comparison.compare`: overall,
    /// per segment (store experiments: cold/warm and light/heavy by training activity, topic
    /// clusters of the reader's history, see `ReaderClusters`), and — where the test-window log
    /// has impressions with propensities — an off-policy click-through estimate per system.
    /// Writes report.html, report.md, report.json, qrels.txt and runs/ into the report folder.
    public static func compare(configPath: String, progress: Progress = Progress(enabled: false)) throws -> ComparisonReport {
        try compare(try execute(configPath: configPath, progress: progress), progress: progress)
    }

    /// Compares the scored systems of `x` and writes the report folder; `tables` and `notes`
    /// are added to the report (tuning uses them).
    static func compare(_ x: Executed, tables: [ReportTable] = [], notes extra: [String] = [],
                        progress: Progress) throws -> ComparisonReport {
        let spec = x.config.compare ?? ExperimentConfiguration.CompareSpec()
        let names = x.outcome.runs.map(\.name)
        let baseline = spec.baseline ?? names[0]
        guard let b = names.firstIndex(of: baseline) else {
            throw KitError.invalid("compare.baseline \"\(baseline)\" is not a system; systems: \(names.joined(separator: ", "))")
        }
        let ordered = [x.outcome.runs[b]] + x.outcome.runs.enumerated().filter { $0.offset != b }.map(\.element)
        var options = spec.options(seed: x.config.seed)
        options.evaluation = evaluationOptions
        options.keepSegmentDifferences = false
        var segments: [String: Set<UserID>] = [:], notes = x.outcome.notes
        if let replay = x.replay, spec.segments ?? true {
            segments = activitySegments(replay, coldThreshold: spec.coldThreshold ?? 5)
            notes.append("segments: cold = fewer than \(spec.coldThreshold ?? 5) training events other than impressions before the "
                + "reader's cut-off, warm = the others; light/heavy = at most / more than the median count; topic-N = spherical "
                + "k-means (k = \(spec.clusters ?? 4), seed \(x.config.seed)) of the readers' history profiles in the first cut-off's "
                + "topic model, named by the top terms of the cluster; each segment is its own Holm family")
            if (spec.clusters ?? 4) > 0 {
                progress("clustering readers by the topics of their history")
                segments.merge(try ReaderClusters.segments(replay, clusters: spec.clusters ?? 4, seed: x.config.seed)) { a, _ in a }
            }
        }
        for (segment, readers) in segments.sorted(by: { $0.key < $1.key }) where readers.isEmpty {
            notes.append("segment \(segment): no reader, left out")
            segments[segment] = nil
        }
        let systems = ordered.map { SystemScores(name: $0.name, result: x.evaluations[$0.name]!) }
        progress("comparing \(systems.count) systems on \(x.metrics.count) metrics, \(segments.count) segments")
        var report = try Comparison.compare(systems, metrics: x.metrics.map(\.description), segments: segments, options: options)
        report.description = [x.config.description, "Data: \(x.outcome.data). Split: \(x.outcome.split). "
            + "Judged readers: \(x.outcome.qrels.judgments.count), judgments: \(x.outcome.qrels.count)."]
            .compactMap { $0 }.joined(separator: " ")
        if let replay = x.replay, spec.offPolicy ?? true {
            let (estimates, note) = try offPolicy(replay, runs: ordered, options: spec.offPolicyOptions(seed: x.config.seed))
            report.offPolicy = estimates
            if let note { notes.append(note) }
        }
        report.notes = notes + extra
        report.tables = tables
        report.provenance = try provenance(configPath: x.configPath, config: x.config, directory: x.directory, runFiles: x.runFileLinks)
        var runs: [String: Run] = [:]
        for r in ordered { runs[r.name] = r.run }
        try AtomicFile.write(TrecFormat.format(x.reportQrels), to: x.directory + "/qrels.txt")
        for r in x.runFiles { try writeRun(r) }
        try ComparePipeline.write(report: report, runs: runs, qrels: x.outcome.qrels, options: options, directory: x.directory,
                                  title: "Experiment \(x.name)", histogramSystem: spec.histogram)
        return report
    }

    static func writeRun(_ r: (path: String, text: String, gzip: Bool)) throws {
        if r.gzip {
            try AtomicFile.writeGzip(Data(r.text.utf8), to: r.path)
            try? FileManager.default.removeItem(atPath: String(r.path.dropLast(3)))
        } else {
            try AtomicFile.write(r.text, to: r.path)
            try? FileManager.default.removeItem(atPath: r.path + ".gz")
        }
    }

    /// cold/warm and light/heavy over the ranked readers `u@day`, counted in each cut-off's training events.
    static func activitySegments(_ replay: StoreReplay, coldThreshold: Int) -> [String: Set<UserID>] {
        var renamed: [Event] = [], readers = Set<UserID>()
        for day in replay.days {
            let ranked = Set(day.readers)
            for u in ranked { readers.insert(day.outputID(u)) }
            for e in day.train where ranked.contains(e.user) {
                var copy = e
                copy.user = day.outputID(e.user)
                renamed.append(copy)
            }
        }
        return ReaderSegments.fromEvents(renamed, coldThreshold: coldThreshold, readers: readers)
    }

    /// Per system, IPS/SNIPS of its lists against the logged impressions of each test window.
    /// Context: the impression's list id (or reader id) at that cut-off; the system's list for
    /// it is the one it made for that reader at that cut-off.
    static func offPolicy(_ replay: StoreReplay, runs: [SystemRun], options: OffPolicyOptions) throws
        -> ([String: OffPolicyEstimate], String?)
    {
        var samples: [OffPolicy.Sample] = [], skipped = 0
        var contextReader: [String: UserID] = [:]
        for day in replay.days {
            let (s, k) = try OffPolicy.samples(from: day.test)
            skipped += k
            for var sample in s {
                sample.context += day.suffix
                samples.append(sample)
            }
            for e in day.test where e.kind == .impression { contextReader[(e.list ?? e.user.rawValue) + day.suffix] = day.outputID(e.user) }
        }
        guard !samples.isEmpty else {
            return ([:], "off-policy: no logged impression in the test windows carries a position and a propensity, so no estimate")
        }
        var out: [String: OffPolicyEstimate] = [:]
        for r in runs {
            var lists: [String: [PaperID]] = [:]
            for (context, user) in contextReader { lists[context] = (r.run.lists[user] ?? []).map(\.paper) }
            var e = OffPolicy.estimate(samples: samples, newLists: lists, options: options)
            e.skippedImpressions += skipped
            out[r.name] = e
        }
        return (out, "off-policy: \(samples.count) logged impressions with propensities in the test windows; a system's list "
            + "matches an impression when it puts the logged paper at the logged position (item-position model); the logged "
            + "read rate is \(ReportFormat.v(Double(samples.filter(\.click).count) / Double(samples.count)))")
    }
}
