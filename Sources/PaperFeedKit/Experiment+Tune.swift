import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO
import Ranking

extension Experiment {
    /// What `paperfeed tune` writes to `tuning.json` (beside the comparison's report.json).
    public struct TuneSummary: Sendable, Codable {
        public var schemaVersion = Schema.version
        public var name: String
        public var metric: String
        public var method: String
        public var seed: UInt64
        public var validationDays: [String]
        public var validationReaders: Int
        public var validationJudgments: Int
        public var testDays: [String]
        public var defaultValidationScore: Double
        public var tunedValidationScore: Double
        /// Parameter → [default value, tuned value] as printed.
        public var chosen: [String: [String]]
        public var evaluations: Int
        public var trace: [ParameterSearch.Step]
        /// The tuned configuration file written beside the report.
        public var tunedConfiguration: String
    }

    /// `paperfeed tune --config FILE`: searches the blend's parameters (the config's `tune`
    /// section) on a validation replay that ends before the test window, then compares the tuned
    /// blend with the starting one (`default`) — and any listed systems — on the test window with
    /// the full comparison (significance, segments, off-policy). Nothing from the test window
    /// reaches the search: the validation replay is prepared from the validation days alone
    /// (each day's model, profiles and trend use data before that day), and the last validation
    /// day must end at or before the first test day (checked). Writes the comparison report
    /// folder plus `tuned-blend.json` and `tuning.json`.
    public static func tune(configPath: String, progress: Progress = Progress(enabled: false)) throws
        -> (report: ComparisonReport, summary: TuneSummary)
    {
        let t0 = ModelPipeline.now()
        let config = try ExperimentConfiguration.load(path: configPath)
        guard let spec = config.tune else { throw KitError.invalid("\(configPath): no \"tune\" section; see Evaluation/README.md") }
        guard let source = config.data.store else { throw KitError.invalid("\(configPath): tune needs a store experiment (data.store)") }
        let (name, directory) = config.report(path: configPath)
        let metrics = try config.parsedMetrics()
        let target = try spec.metric.map { try Metric(parsing: $0) } ?? metrics[0]
        guard let vFirst = Timestamp.parse(spec.validation.first), let vLast = Timestamp.parse(spec.validation.last),
              let testStart = (config.split.kind == "replay" ? config.split.first : config.split.cutoff).flatMap(Timestamp.parse)
        else { throw KitError.invalid("\(configPath): tune.validation first/last and the split's first day (or cutoff) must be dates (YYYY-MM-DD)") }
        guard EventSplit.dayStart(vFirst) <= EventSplit.dayStart(vLast) else {
            throw KitError.invalid("\(configPath): tune.validation.first is after tune.validation.last")
        }
        guard EventSplit.dayStart(vLast).addingTimeInterval(86_400) <= testStart else {
            throw KitError.invalid("\(configPath): the validation window (to the end of \(spec.validation.last)) overlaps the test window "
                + "(from \(Timestamp.format(testStart))); end the validation days before the test window starts")
        }
        let base = try spec.base.map { try RankingConfiguration.load(path: $0) } ?? RankingConfiguration()

        progress("tune: preparing the validation replay \(spec.validation.first) … \(spec.validation.last)")
        let validation = try StoreReplay.prepare(
            source, split: .init(kind: "replay", first: spec.validation.first, last: spec.validation.last),
            seed: config.seed, progress: progress)
        let evaluator = Evaluator(qrels: validation.qrels, options: evaluationOptions)
        let search = ParameterSearch(spec.parameters, seed: config.seed)
        let method = spec.method ?? "coordinate-ascent"
        var count = 0
        let (tuned, tunedScore, baseScore, trace) = try search.run(
            method: method, base: base, rounds: spec.rounds ?? 3, maxEvaluations: spec.maxEvaluations ?? 400
        ) { c in
            let lists = try validation.rank(k: config.k) { validation.blend(c, name: "candidate", day: $0) }
            let score = evaluator.evaluate(Run(rankedLists: lists), metrics: [target]).means[0]
            count += 1
            progress("tune: evaluation \(count): \(target) = \(String(format: "%.4f", score))")
            return score
        }
        progress("tune: search done in \(String(format: "%.1f", ModelPipeline.now() - t0)) s (no timings in tuning.json: same inputs, same bytes)")

        progress("tune: preparing the test window")
        let test = try StoreReplay.prepare(source, split: config.split, seed: config.seed, progress: progress)
        let blends: [(name: String, ranker: (StoreReplay.Day) throws -> any CandidateRanker)] = [("default", base), ("tuned", tuned)].map { label, c in
            (label, { test.blend(c, name: label, day: $0) })
        }
        let runs = try rank(test, systems: blends + config.systems.map { s in (s.name, { try test.ranker(s, day: $0, seed: config.seed) }) },
                            k: config.k)
        let x = score(outcome(test, runs: runs), replay: test, config: config, name: name, directory: directory, metrics: metrics,
                      started: t0, progress: progress, configPath: configPath)

        var chosen: [String: [String]] = [:]
        for (path, _) in search.parameters { chosen[path] = [ParameterSearch.value(base, path), ParameterSearch.value(tuned, path)] }
        let days = { (r: StoreReplay) in r.days.map { Timestamp.formatDay($0.cutoff) } }
        let parameterTable = ReportTable(
            title: "Tuned parameters (\(method), seed \(config.seed), \(count) configurations on the validation window)",
            columns: ["parameter", "default", "tuned", "values tried"],
            rows: search.parameters.map { p in [p.path, chosen[p.path]![0], chosen[p.path]![1], p.values.map { "\($0)" }.joined(separator: ", ")] })
        let validationTable = ReportTable(
            title: "Validation window \(spec.validation.first) … \(spec.validation.last) (\(validation.qrels.judgments.count) judged readers)",
            columns: ["system", target.description],
            rows: [["default", ReportFormat.v(baseScore)], ["tuned", ReportFormat.v(tunedScore)]])
        let notes = ["tuning: \(method) over \(search.parameters.count) parameters maximizing \(target) on the validation replay "
            + "\(days(validation).joined(separator: ", ")); the test window \(days(test).joined(separator: ", ")) was prepared only after "
            + "the search ended and was never scored during it; tuned configuration: tuned-blend.json"]
        let report = try compare(x, tables: [parameterTable, validationTable], notes: notes, progress: progress)
        try AtomicFile.write(tuned.json() + "\n", to: directory + "/tuned-blend.json")
        let summary = TuneSummary(
            name: name, metric: target.description, method: method, seed: config.seed, validationDays: days(validation),
            validationReaders: validation.qrels.judgments.count, validationJudgments: validation.qrels.count, testDays: days(test),
            defaultValidationScore: baseScore, tunedValidationScore: tunedScore, chosen: chosen, evaluations: count, trace: trace,
            tunedConfiguration: "tuned-blend.json")
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        try AtomicFile.write(try e.encode(summary) + Data("\n".utf8), to: directory + "/tuning.json")
        return (report, summary)
    }
}
