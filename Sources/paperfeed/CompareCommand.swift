import ArgumentParser
import Foundation
import PaperFeedEvaluation
import PaperFeedKit

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "A/B comparison of two or more TREC runs: paired tests, Holm correction, verdicts.",
        discussion: """
            The first --run is the baseline. Per metric: each system's mean, the paired difference with a bootstrap
            interval, a paired randomization test and a paired t-test, Holm-adjusted across all metrics and pairs, and a
            verdict (better / worse / no significant difference at --alpha). Readers missing from a run are an error
            unless --missing says how to count them. See Evaluation/README.md.
            """)
    @Option(help: "Qrels file.") var qrels: String
    @Option(name: .customLong("run"), help: "A run file (repeat; the first is the baseline).") var runs: [String] = []
    @Option(help: "Comma-separated metrics.") var metrics = "ndcg@10,recall@100,mrr"
    @Option(help: "Significance level.") var alpha = 0.05
    @Option(help: "Permutations of the randomization test.") var permutations = 10_000
    @Option(help: "Bootstrap resamples.") var bootstrap = 10_000
    @Option(help: "Random seed of the tests.") var seed: UInt64 = 0
    @Option(help: "Readers missing from a run: error, zero, drop.") var missing = "error"
    @Option(help: "Write report.html, report.md and report.json into this folder.") var report: String?
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        guard runs.count >= 2 else { throw ValidationError("give at least two --run files") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be in (0, 1)") }
        guard ["error", "zero", "drop"].contains(missing) else { throw ValidationError("--missing is error, zero or drop") }
    }

    func run() throws {
        var o = ComparisonOptions()
        o.alpha = alpha
        o.permutations = permutations
        o.bootstrapResamples = bootstrap
        o.seed = seed
        o.missing = missing == "zero" ? .countAsZero : missing == "drop" ? .dropReader : .error
        let list: [Metric]
        do { list = try Metric.parseList(metrics) } catch { throw ValidationError("\(error)") }
        let r: ComparisonReport
        do { r = try ComparePipeline.run(qrels: qrels, runs: runs, metrics: list, options: o, reportDirectory: report) } catch {
            throw Failure("\(error)")
        }
        if json { return print(try r.jsonString(pretty: false)) }
        print(ReportMarkdown.render(report: r), terminator: "")
        if let d = report { print("\nreport written to \(d)/report.html") }
    }
}
