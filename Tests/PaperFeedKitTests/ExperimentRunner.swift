import Foundation
import PaperFeedKit
import Testing

/// Runs real experiment files when `PAPERFEED_EXPERIMENTS` lists them (comma-separated), e.g.
/// `PAPERFEED_EXPERIMENTS=Evaluation/configs/citeulike-t-p10.json swift test --filter runConfiguredExperiments`
/// — a stand-in for `paperfeed evaluate` until the command is registered. Skipped otherwise.
@Suite struct ExperimentRunner {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PAPERFEED_EXPERIMENTS"] != nil))
    func runConfiguredExperiments() throws {
        let paths = ProcessInfo.processInfo.environment["PAPERFEED_EXPERIMENTS"]!.split(separator: ",").map(String.init)
        for path in paths {
            let report = try Experiment.run(configPath: path, progress: Progress(enabled: true))
            print(report.markdown())
        }
    }
}
