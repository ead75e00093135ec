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

    /// Runs the experiment in `configPath` and writes its report; returns the report.
    public static func run(configPath: String, progress: Progress = Progress(enabled: false)) throws -> ExperimentReport {
        let t0 = ModelPipeline.now()
        let config = try ExperimentConfiguration.load(path: configPath)
        let name = config.name ?? URL(fileURLWithPath: configPath).deletingPathExtension().lastPathComponent
        let directory = config.output ?? URL(fileURLWithPath: configPath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reports").appendingPathComponent(name).path
        let metrics = try config.parsedMetrics()
        let outcome: Outcome
        if let corpus = config.data.corpus {
            outcome = try runCorpus(corpus, config: config, progress: progress)
        } else {
            outcome = try runStore(config.data.store!, config: config, progress: progress)
        }
        var options = EvaluationOptions()
        options.tieBreak = .inputOrder
        let evaluator = Evaluator(qrels: outcome.qrels, options: options)
        var results: [ExperimentReport.SystemResult] = []
        var runFiles: [(path: String, text: String, gzip: Bool)] = []
        let limit = config.gzipRunsAbove ?? 5_000_000
        for system in outcome.runs {
            let report = MetricsReport(evaluator.evaluate(system.run, metrics: metrics))
            let text = TrecFormat.format(system.run, tag: system.name, tieBreak: .inputOrder)
            let gzip = text.utf8.count > limit
            let file = "runs/\(fileName(system.name)).run" + (gzip ? ".gz" : "")
            runFiles.append((directory + "/" + file, text, gzip))
            results.append(ExperimentReport.SystemResult(
                name: system.name, users: report.users, mean: report.mean, seconds: system.seconds, runFile: file))
            progress("\(system.name): \(metrics.map { "\($0)=\(String(format: "%.4f", report.mean[$0.description] ?? 0))" }.joined(separator: " ")) (\(report.users) readers)")
        }
        let report = ExperimentReport(
            name: name, description: config.description, data: outcome.data, split: outcome.split, k: config.k,
            seed: config.seed, metrics: metrics.map(\.description), judgedUsers: outcome.qrels.judgments.count,
            judgments: outcome.qrels.count, systems: results, published: config.published ?? [], notes: outcome.notes,
            secondsTotal: ModelPipeline.now() - t0, directory: directory)
        try write(report, qrels: outcome.qrels, runs: runFiles, directory: directory)
        return report
    }

    static func write(_ report: ExperimentReport, qrels: Qrels, runs: [(path: String, text: String, gzip: Bool)],
                      directory: String) throws {
        try AtomicFile.write(TrecFormat.format(qrels), to: directory + "/qrels.txt")
        for r in runs {
            if r.gzip {
                try AtomicFile.writeGzip(Data(r.text.utf8), to: r.path)
                try? FileManager.default.removeItem(atPath: String(r.path.dropLast(3)))
            } else {
                try AtomicFile.write(r.text, to: r.path)
                try? FileManager.default.removeItem(atPath: r.path + ".gz")
            }
        }
        try AtomicFile.write(report.jsonData() + Data("\n".utf8), to: directory + "/report.json")
        try AtomicFile.write(report.markdown(), to: directory + "/report.md")
    }

    /// A system name as a file name: letters, digits, `-`, `_`, `.`; anything else → `_`.
    static func fileName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
    }
}
