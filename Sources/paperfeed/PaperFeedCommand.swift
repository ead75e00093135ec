import ArgumentParser
import BuildInfo

@main
struct PaperFeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paperfeed",
        abstract: "Offline ranking and evaluation for research-paper feeds.",
        discussion: """
            Exit codes: 0 success (rows may have been rejected: see the summary), 1 failure
            (a file could not be ingested, a model could not be read, …), 64 bad usage.
            """,
        version: Build.description,
        subcommands: [
            IngestCommand.self, StatsCommand.self, FitCommand.self, TopicsCommand.self, SimilarCommand.self,
            ExportEmbeddingsCommand.self, SimulateCommand.self, RecommendCommand.self, RerankCommand.self, MetricsCommand.self,
            CompareCommand.self, EvaluateCommand.self, TuneCommand.self, LearnCommand.self, ListsCommand.self, ExportCommand.self,
            NightlyCommand.self, FoldInCommand.self, HistoryCommand.self,
        ],
        helpNames: [.short, .long])
}
