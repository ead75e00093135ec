import ArgumentParser

@main
struct PaperFeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paperfeed",
        abstract: "Offline ranking and evaluation for research-paper feeds.",
        subcommands: [])
}
