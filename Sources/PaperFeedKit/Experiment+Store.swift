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
        let runs = try rank(replay, systems: config.systems.map { s in (s.name, { try replay.ranker(s, day: $0, seed: config.seed) }) },
                            k: config.k)
        return (outcome(replay, runs: runs), replay)
    }

    /// Each system's lists over every cut-off of `replay`, timed.
    static func rank(_ replay: StoreReplay, systems: [(name: String, ranker: (StoreReplay.Day) throws -> any CandidateRanker)],
                     k: Int) throws -> [SystemRun] {
        try systems.map { system in
            let t = ModelPipeline.now()
            let lists = try replay.rank(k: k, system.ranker)
            return SystemRun(name: system.name, run: Run(rankedLists: lists), seconds: ModelPipeline.now() - t)
        }
    }

    /// The outcome of a store experiment: the replay's judgments and descriptions, and `runs`.
    static func outcome(_ replay: StoreReplay, runs: [SystemRun]) -> Outcome {
        Outcome(qrels: replay.qrels, runs: runs, data: replay.describeData, split: replay.describeSplit,
                notes: [replay.judgmentNote])
    }
}
