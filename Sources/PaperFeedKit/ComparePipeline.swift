import BuildInfo
import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO

/// `paperfeed compare --qrels FILE --run A --run B …`: paired significance tests between TREC
/// runs, and optionally a report folder (report.html with charts, report.md, report.json — all
/// rendered from the same `ComparisonReport` value).
public enum ComparePipeline {
    public static func run(qrels: String, runs: [String], metrics: [Metric], options: ComparisonOptions,
                           reportDirectory: String?, title: String = "PaperFeed comparison") throws -> ComparisonReport {
        let judgments = try TrecFiles.readQrels(path: qrels)
        let loaded = try runs.map { (path: $0, run: try TrecFiles.readRun(path: $0)) }
        var report = try compareRuns(qrels: judgments, runs: loaded, metrics: metrics, options: options)
        // Provenance: this build, the date, the SHA-256 of the qrels and every run, and links to
        // them (relative to the report folder when there is one).
        func link(_ path: String) -> String { reportDirectory.map { Experiment.relativePath(from: $0, to: path) } ?? path }
        report.provenance = ReportProvenance(
            version: Build.version, commit: Build.commit, generatedAt: Experiment.generatedAt(),
            data: try ([qrels] + runs).map(Experiment.checksum), qrelsFile: link(qrels),
            runFiles: Dictionary(zip(report.systems, runs.map(link)), uniquingKeysWith: { a, _ in a }))
        if let dir = reportDirectory {
            var named: [String: Run] = [:]
            for (r, name) in zip(loaded, report.systems) { named[name] = r.run }
            try write(report: report, runs: named, qrels: judgments, options: options, directory: dir, title: title)
        }
        return report
    }

    /// Writes report.html, report.md and report.json into `directory`, atomically.
    public static func write(report: ComparisonReport, runs: [String: Run], qrels: Qrels, options: ComparisonOptions,
                             directory: String, title: String, histogramSystem: String? = nil) throws {
        let curves = MetricCurves.curves(runs, qrels: qrels, kind: .ndcg, maxK: 100, options: options.evaluation)
        let first = report.metrics.first ?? "ndcg@10"
        let histogram = report.systems.count > 1
            ? ReportHTML.Histogram(metric: first, system: histogramSystem ?? report.systems[1], baseline: report.systems[0]) : nil
        let html = ReportHTML.render(report: report, curves: curves, histogram: histogram, title: title)
        try AtomicFile.write(html, to: directory + "/report.html")
        try AtomicFile.write(ReportMarkdown.render(report: report, title: title), to: directory + "/report.md")
        try AtomicFile.write(try report.jsonString() + "\n", to: directory + "/report.json")
    }
}
