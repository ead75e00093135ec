import ArgumentParser
import Foundation
import PaperFeedKit

/// `paperfeed evaluate --config Evaluation/configs/NAME.json [--json]`: runs an offline
/// experiment (see Evaluation/README.md, "Experiments") and writes Evaluation/reports/NAME/.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Run an offline experiment: split, rank with each system, score, write the report.",
        discussion: """
            The experiment file names the data (the store or a bag-of-words corpus with published splits),
            the split, the systems (baselines and/or blend config files), the metrics, k and the seed.
            The report (report.md, report.json, qrels.txt, runs/) goes to Evaluation/reports/NAME/. Example:
              paperfeed evaluate --config Evaluation/configs/citeulike-t-p10.json
            """)

    @Option(help: "Experiment file (JSON).")
    var config: String

    @Flag(help: "Print the report as JSON instead of a table.")
    var json = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start()
        let report: ExperimentReport
        do {
            report = try Experiment.run(configPath: config, progress: logging.progress)
        } catch {
            throw Failure("\(error)")
        }
        if json {
            try Output.json(report)
        } else {
            print(report.markdown(), terminator: "")
            print("report written to \(report.directory)")
        }
    }
}
