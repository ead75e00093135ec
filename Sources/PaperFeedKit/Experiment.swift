import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO

/// `paperfeed evaluate --config FILE`: runs an offline experiment and writes its report.
///
/// Steps: read the experiment file; build the split (corpus: the published CTR lists;
/// store: events split at the cut-off(s)); let every system rank its readers (lists made at
/// the cut-off from data before it only); judge with the test side (corpus: test items,
/// grade 1; store: `JudgmentPolicy.default` over the test-window events); evaluate with
/// `Evaluator` (trec_eval conventions, ties in list order); write `report.md`,
/// `report.json`, `qrels.txt` and `runs/SYSTEM.run` (gzipped above `gzip_runs_above` bytes)
/// into the report folder, each file atomically.
public enum Experiment {
    /// What one system produced.
    struct SystemRun {
        var name: String
        var run: Run
        var seconds: Double
    }

    /// What a data source produced: judgments, one run per system, and report text.
    struct Outcome {
        var qrels: Qrels
        var runs: [SystemRun]
        var data: String
        var split: String
        var notes: [String]
    }

    /// An experiment after every system ranked and was scored (before anything is written).
    struct Executed {
        var config: ExperimentConfiguration
        var name: String
        var directory: String
        var metrics: [Metric]
        var outcome: Outcome
        /// The prepared cut-offs of a store experiment (nil for corpus experiments).
        var replay: StoreReplay?
        var evaluations: [String: EvaluationResult]
        var results: [ExperimentReport.SystemResult]
        var runFiles: [(path: String, text: String, gzip: Bool)]
        /// The judgments as written to qrels.txt (readers that some run lists; `reportFiles`).
        var reportQrels: Qrels
        var started: Double
        /// The experiment file.
        var configPath: String = ""

        /// System → run file relative to the report folder.
        var runFileLinks: [String: String] {
            Dictionary(results.compactMap { r in r.runFile.map { (r.name, $0) } }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// Runs the experiment in `configPath` and writes its report; returns the report.
    public static func run(configPath: String, progress: Progress = Progress(enabled: false)) throws -> ExperimentReport {
        let x = try execute(configPath: configPath, progress: progress)
        let report = ExperimentReport(
            name: x.name, description: x.config.description, data: x.outcome.data, split: x.outcome.split, k: x.config.k,
            seed: x.config.seed, metrics: x.metrics.map(\.description), judgedUsers: x.outcome.qrels.judgments.count,
            judgments: x.outcome.qrels.count, systems: x.results, published: x.config.published ?? [], notes: x.outcome.notes,
            secondsTotal: ModelPipeline.now() - x.started, directory: x.directory,
            provenance: try provenance(configPath: configPath, config: x.config, directory: x.directory, runFiles: x.runFileLinks))
        try write(report, qrels: x.reportQrels, runs: x.runFiles, directory: x.directory)
        return report
    }

    /// Reads the experiment file, builds the split, ranks with every system and scores the runs.
    static func execute(configPath: String, progress: Progress) throws -> Executed {
        let t0 = ModelPipeline.now()
        let config = try ExperimentConfiguration.load(path: configPath)
        let (name, directory) = config.report(path: configPath)
        let metrics = try config.parsedMetrics()
        let outcome: Outcome
        var replay: StoreReplay? = nil
        if let corpus = config.data.corpus {
            outcome = try runCorpus(corpus, config: config, progress: progress)
        } else {
            (outcome, replay) = try runStore(config.data.store!, config: config, progress: progress)
        }
        return score(outcome, replay: replay, config: config, name: name, directory: directory, metrics: metrics,
                     started: t0, progress: progress, configPath: configPath)
    }

    /// Scores every system's run of `outcome` and prepares the run files.
    static func score(_ outcome: Outcome, replay: StoreReplay?, config: ExperimentConfiguration, name: String,
                      directory: String, metrics: [Metric], started: Double, progress: Progress,
                      configPath: String = "") -> Executed {
        let evaluator = Evaluator(qrels: outcome.qrels, options: evaluationOptions)
        var results: [ExperimentReport.SystemResult] = []
        var evaluations: [String: EvaluationResult] = [:]
        var runFiles: [(path: String, text: String, gzip: Bool)] = []
        let limit = config.gzipRunsAbove ?? 5_000_000
        // The runs exactly as written (list order, strictly decreasing scores: `RunScores`; only
        // the evaluated readers: `reportFiles`), so the report's numbers are what any TREC tool
        // computes from the run files and qrels.txt.
        let files = reportFiles(qrels: outcome.qrels, runs: outcome.runs.map { $0.run.published(order: .inputOrder) })
        for (system, published) in zip(outcome.runs, files.runs) {
            let evaluation = evaluator.evaluate(published, metrics: metrics)
            evaluations[system.name] = evaluation
            let report = MetricsReport(evaluation)
            let text = TrecFormat.format(published, tag: system.name, tieBreak: nil)
            let gzip = text.utf8.count > limit
            let file = "runs/\(fileName(system.name)).run" + (gzip ? ".gz" : "")
            runFiles.append((directory + "/" + file, text, gzip))
            results.append(ExperimentReport.SystemResult(
                name: system.name, users: report.users, mean: report.mean, seconds: system.seconds, runFile: file))
            progress("\(system.name): \(metrics.map { "\($0)=\(String(format: "%.4f", report.mean[$0.description] ?? 0))" }.joined(separator: " ")) (\(report.users) readers)")
        }
        return Executed(config: config, name: name, directory: directory, metrics: metrics, outcome: outcome, replay: replay,
                        evaluations: evaluations, results: results, runFiles: runFiles, reportQrels: files.qrels, started: started,
                        configPath: configPath)
    }

    /// trec_eval conventions with ties in list order (the lists are already in rank order).
    static var evaluationOptions: EvaluationOptions {
        var options = EvaluationOptions()
        options.tieBreak = .inputOrder
        return options
    }

    static func write(_ report: ExperimentReport, qrels: Qrels, runs: [(path: String, text: String, gzip: Bool)],
                      directory: String) throws {
        try AtomicFile.write(TrecFormat.format(qrels), to: directory + "/qrels.txt")
        for r in runs { try writeRun(r) }
        try AtomicFile.write(report.jsonData() + Data("\n".utf8), to: directory + "/report.json")
        try AtomicFile.write(report.markdown(), to: directory + "/report.md")
        try AtomicFile.write(report.html(), to: directory + "/report.html")
    }

    /// A system name as a file name: letters, digits, `-`, `_`, `.`; anything else → `_`.
    static func fileName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
    }
}
