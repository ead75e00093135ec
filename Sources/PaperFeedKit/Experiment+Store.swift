import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO
import Ranking

extension Experiment {
    /// Store experiments: `temporal` (one cut-off) or `replay` (one cut-off per day), prepared by
    /// `StoreReplay` (what each system may see at each cut-off, and the judgments); every system
    /// then ranks every cut-off's readers. Returns the outcome and the replay (for comparisons).
    static func runStore(_ source: ExperimentConfiguration.StoreSource, config: ExperimentConfiguration,
                         progress: Progress) throws -> (Outcome, StoreReplay) {
        let replay = try StoreReplay.prepare(source, split: config.split, seed: config.seed, progress: progress)
        var runs: [SystemRun] = []
        for system in config.systems {
            let t = ModelPipeline.now()
            let lists = try replay.rank(k: config.k) { try replay.ranker(system, day: $0, seed: config.seed) }
            runs.append(SystemRun(name: system.name, run: Run(rankedLists: lists), seconds: ModelPipeline.now() - t))
        }
        let outcome = Outcome(qrels: replay.qrels, runs: runs, data: replay.describeData, split: replay.describeSplit,
                              notes: [replay.judgmentNote])
        return (outcome, replay)
    }
}
