import ArgumentParser
import Foundation
import PaperFeedEvaluation
import PaperFeedKit

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "A/B comparison of two or more systems: paired tests, Holm correction, verdicts.",
        discussion: """
            Either --config Evaluation/configs/NAME.json (run the experiment's systems on its split, then compare them
            overall, per reader segment and by off-policy estimates; report to Evaluation/reports/NAME/), or --qrels
            with two or more --run files from any system. The first --run is the baseline. Per metric: each system's mean, the paired difference with a bootstrap
            interval, a paired randomization test and a paired t-test, Holm-adjusted across all metrics and pairs, and a
            verdict (better / worse / no significant difference at --alpha). Readers missing from a run are an error
            unless --missing says how to count them. See Evaluation/README.md.
            """)
    @Option(help: "Experiment file: compare its systems on its split (see Evaluation/README.md).") var config: String?
    @Option(help: "Qrels file.") var qrels: String?
    @Option(name: .customLong("run"), help: "A run file (repeat; the first is the baseline).") var runs: [String] = []
    @Option(help: "Comma-separated metrics.") var metrics = "ndcg@10,recall@100,mrr"
    @Option(help: "Significance level.") var alpha = 0.05
    @Option(help: "Permutations of the randomization test.") var permutations = 10_000
    @Option(help: "Bootstrap resamples.") var bootstrap = 10_000
    @Option(help: "Random seed of the tests.") var seed: UInt64 = 0
    @Option(help: "Readers missing from a run: error, zero, drop.") var missing = "error"
    @Option(help: "Write report.html, report.md and report.json into this folder.") var report: String?
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "CI gate: exit 2 when a system is significantly worse than the baseline on any metric (overall). Value: worse.")
    var failOn: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if config != nil {
            guard qrels == nil, runs.isEmpty else { throw ValidationError("give either --config or --qrels with --run files, not both") }
            if let f = failOn, f != "worse" { throw ValidationError("--fail-on takes worse (exit 2 when a system is significantly worse)") }
            return
        }
        guard qrels != nil else { throw ValidationError("give --config FILE, or --qrels FILE with two or more --run files") }
        guard runs.count >= 2 else { throw ValidationError("give at least two --run files") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be in (0, 1)") }
        guard ["error", "zero", "drop"].contains(missing) else { throw ValidationError("--missing is error, zero or drop") }
        let r = ComparisonOptions.resamplingRange
        guard r.contains(permutations), r.contains(bootstrap) else {
            throw ValidationError("--permutations and --bootstrap must be in \(r.lowerBound)…\(r.upperBound)")
        }
        if let f = failOn, f != "worse" { throw ValidationError("--fail-on takes worse (exit 2 when a system is significantly worse)") }
    }

    func run() throws {
        logging.start()
        if let config {
            let r: ComparisonReport
            do { r = try Experiment.compare(configPath: config, progress: logging.progress) } catch { throw Failure("\(error)") }
            if json { print(try r.jsonString(pretty: false)) } else { print(ReportMarkdown.render(report: r), terminator: "") }
            return try gate(r)
        }
        var o = ComparisonOptions()
        o.alpha = alpha
        o.permutations = permutations
        o.bootstrapResamples = bootstrap
        o.seed = seed
        o.missing = missing == "zero" ? .countAsZero : missing == "drop" ? .dropReader : .error
        let list: [Metric]
        do { list = try Metric.parseList(metrics) } catch { throw ValidationError("\(error)") }
        let r: ComparisonReport
        do { r = try ComparePipeline.run(qrels: qrels!, runs: runs, metrics: list, options: o, reportDirectory: report) } catch {
            throw Failure("\(error)")
        }
        if json {
            print(try r.jsonString(pretty: false))
        } else {
            print(ReportMarkdown.render(report: r), terminator: "")
            if let d = report { print("\nreport written to \(d)/report.html") }
        }
        try gate(r)
    }

    /// `--fail-on worse`: exit 2, naming each (system, metric) whose verdict is worse.
    func gate(_ r: ComparisonReport) throws {
        guard failOn == "worse" else { return }
        let worse = r.results.flatMap { m in m.pairs.filter { $0.verdict == .worse }.map { (m.metric, $0) } }
        guard !worse.isEmpty else { return }
        throw refused("--fail-on worse: " + worse.map { m, p in
            "\(p.system) is worse than \(p.baseline) on \(m) (diff \(ReportFormat.v(p.diff)), p Holm \(ReportFormat.p(p.pHolm)))"
        }.joined(separator: "; "))
    }
}

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune", abstract: "Tune the blend on a validation window, then compare tuned vs default on the test window.",
        discussion: """
            The experiment file's "tune" section names the validation days (before the test window), the parameters and
            the values to try, the metric and the method (coordinate-ascent or grid; seeded). The report folder gets the
            comparison (report.html, report.md, report.json), tuned-blend.json and tuning.json. See Evaluation/README.md.
            """)
    @Option(help: "Experiment file with a \"tune\" section.") var config: String
    @Flag(help: "Print the comparison report as JSON.") var json = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start()
        let result: (report: ComparisonReport, summary: Experiment.TuneSummary)
        do { result = try Experiment.tune(configPath: config, progress: logging.progress) } catch { throw Failure("\(error)") }
        if json { return print(try result.report.jsonString(pretty: false)) }
        let s = result.summary
        print("validation \(s.metric): default \(ReportFormat.v(s.defaultValidationScore)) → tuned \(ReportFormat.v(s.tunedValidationScore)) "
            + "(\(s.evaluations) configurations, \(s.method))")
        for (p, v) in s.chosen.sorted(by: { $0.key < $1.key }) { print("  \(p): \(v[0]) → \(v[1])") }
        print(ReportMarkdown.render(report: result.report), terminator: "")
    }
}
