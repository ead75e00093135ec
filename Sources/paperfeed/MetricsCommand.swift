import ArgumentParser
import Foundation
import PaperFeedEvaluation
import PaperFeedKit

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Evaluate any TREC run against TREC qrels, like trec_eval.",
        discussion: "Conventions (trec_eval's by default) are documented in Evaluation/README.md.")
    @Option(help: "Qrels file: user 0 paper grade.") var qrels: String
    @Option(name: .customLong("run"), help: "Run file: user Q0 paper rank score tag.") var runFile: String
    @Option(help: "Comma-separated metrics, e.g. ndcg@10,map,mrr,precision@10,recall@100,hit@10.")
    var metrics = "ndcg@10,map,mrr,precision@10,recall@100,hit@10"
    @Option(help: "Gain: linear (trec_eval) or exp (2^g − 1).") var gain = "linear"
    @Flag(help: "Count readers with no list as 0 (trec_eval -c).") var countMissing = false
    @Flag(help: "Ideal from the ranked candidates only (scikit-learn's ndcg_score).") var idealFromRun = false
    @Flag(help: "Print per-reader values too.") var perUser = false
    @Flag(help: "Print as JSON: users, mean, per_user.") var json = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start()
        let list: [Metric]
        var options = EvaluationOptions()
        do {
            list = try Metric.parseList(metrics)
            options.gain = try EvaluationOptions.Gain(parsing: gain)
        } catch { throw ValidationError("\(error)") }
        if countMissing { options.missingUsers = .countAsZero }
        if idealFromRun { options.ideal = .rankedCandidates }
        let report: MetricsReport
        do { report = try TrecFiles.evaluate(qrels: qrels, run: runFile, metrics: list, options: options) } catch let e as EvaluationError {
            // A grade too large for --gain exp is bad usage of that option (exit 64); file errors exit 1.
            if case .invalidInput = e { throw ValidationError("\(e)") }
            throw Failure("\(e)")
        } catch { throw Failure("\(error)") }
        if json {
            try Output.json(report)
        } else {
            print(report.table(perUser: perUser, decimals: 4), terminator: "")
        }
    }
}
