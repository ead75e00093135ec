import ArgumentParser
import Foundation
import PaperFeedCore
import PaperFeedIO
import PaperFeedKit
import Ranking
import TopicModel

struct ModelOption: ParsableArguments {
    @Option(help: "Model folder (default: $PAPERFEED_MODEL or Models/default).")
    var model: String = ProcessInfo.processInfo.environment["PAPERFEED_MODEL"] ?? ModelPipeline.defaultModel

    func load() throws -> TopicModel {
        do { return try ModelPipeline.load(model) } catch { throw Failure("\(error)") }
    }
}

/// `--ranker`: which ranker recommend and rerank use.
struct RankerOption: ParsableArguments {
    @Option(help: "auto: the learned ranker attached to the model (paperfeed learn), else the hand-set blend; none: the hand-set blend; or a ranker file (paperfeed learn --out).")
    var ranker = "auto"

    /// The topic model and the chosen ranker, from one resolved model version.
    func load(_ model: ModelOption) throws -> (TopicModel, LearnedRanker?) {
        do { return try ModelPipeline.loadWithRanker(model.model, choice: RankerChoice(argument: ranker)) } catch { throw Failure("\(error)") }
    }
}

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit", abstract: "Fit the topic model (TF-IDF + truncated SVD) on the papers in the store.",
        discussion: "Writes a new version folder in Models/<name>/ (manifest.json with format version, parameters, seed, checksums; the arrays) and then switches Models/<name>/current to it in one atomic step, so a killed fit leaves the previous model in place (Models/README.md). With --corpus NAME it fits on a stored bag-of-words corpus instead.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOption
    @Option(help: "Number of topic dimensions.") var dims = 128
    @Option(help: "Drop terms in fewer documents.") var minDf = 2
    @Option(help: "Drop terms in more than this share of the documents.") var maxDf = 0.5
    @Option(help: "1 = unigrams, 2 = unigrams + bigrams.") var ngrams = 1
    @Option(help: "Keep only the most frequent terms.") var maxFeatures: Int?
    @Option(help: "Random seed of the SVD.") var seed: UInt64 = 42
    @Option(help: "Fit on this stored bag-of-words corpus (e.g. citeulike-t).") var corpus: String?
    @Flag(help: "Print the fit summary as JSON.") var json = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard dims >= 1, dims <= TopicModelConfiguration.maxDimensions else {
            throw ValidationError("--dims must be in 1…\(TopicModelConfiguration.maxDimensions) (and at most the number of documents and terms)")
        }
        guard (1...2).contains(ngrams) else { throw ValidationError("--ngrams must be 1 or 2") }
        guard maxDf > 0, maxDf <= 1 else { throw ValidationError("--max-df is a share of documents in (0, 1]") }
    }

    func run() throws {
        logging.start()
        var c = TopicModelConfiguration()
        c.dimensions = dims
        c.minDocumentFrequency = minDf
        c.maxDocumentFrequency = maxDf
        c.ngrams = ngrams
        c.maxFeatures = maxFeatures
        c.seed = seed
        let db = try store.open()
        defer { try? db.close() }
        let s = try ModelPipeline.fit(store: db, directory: model.model, configuration: c, corpus: corpus, clock: SystemClock(),
                                      progress: logging.progress)
        if json { return try Output.json(s) }
        let r = s.report
        print("model \(s.model): \(r.documents) documents, \(r.terms) terms, nnz \(r.nnz), \(r.dims) dims")
        print(String(format: "seconds: load %.2f, tf-idf %.2f, svd %.2f, embed %.2f, save %.2f", s.secondsLoad, r.secondsTfidf, r.secondsSVD, r.secondsEmbed, s.secondsSave))
        print("top singular values: " + r.singularValues.prefix(8).map { String(format: "%.4f", $0) }.joined(separator: " "))
    }
}

struct TopicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topics", abstract: "Top terms of each topic component.")
    @OptionGroup var model: ModelOption
    @Option(help: "Terms per component.") var top = 10
    @Option(help: "Show only the first N components.") var components: Int?
    @Flag(help: "Print as JSON.") var json = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start()
        let m = try model.load()
        let n = min(components ?? m.dimensions, m.dimensions)
        let topics = (0..<n).map { i in (i, m.topTerms(component: i, top: top)) }
        if json {
            struct T: Encodable { var component: Int; var singularValue: Float; var terms: [String] }
            struct All: Encodable { var model: String; var topics: [T] }
            return try Output.json(All(model: model.model, topics: topics.map {
                T(component: $0.0, singularValue: m.singularValues[$0.0], terms: $0.1.map(\.term))
            }))
        }
        for (i, terms) in topics {
            print(String(format: "%3d  σ=%.3f  ", i, m.singularValues[i]) + terms.map(\.term).joined(separator: ", "))
        }
    }
}

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "similar", abstract: "Papers most similar to a paper in topic space.")
    @Argument(help: "Paper id (e.g. an arXiv id).") var paper: String
    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOption
    @Option(help: "How many.") var k = 10
    @Flag(help: "Print as JSON.") var json = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...10_000).contains(k) else { throw ValidationError("--k must be in 1…10000") }
    }

    func run() throws {
        logging.start()
        let m = try model.load()
        let db = try store.open()
        defer { try? db.close() }
        let result = try SimilarPipeline.run(store: db, model: m, paper: PaperID(paper), k: k)
        if json { return try Output.json(result) }
        print("\(result.paper)  \(result.title)")
        for (i, n) in result.neighbours.enumerated() {
            print(String(format: "%2d. %.3f  ", i + 1, n.similarity) + "\(n.paper)  \(n.title)")
        }
    }
}

struct ExportEmbeddingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-embeddings", abstract: "Write the paper embeddings as a numpy .npy file (ids in FILE.ids.txt).")
    @OptionGroup var model: ModelOption
    @Option(help: "Output .npy file.") var npy: String

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start()
        let m = try model.load()
        try NumpyWriter.write(FloatArray(shape: [m.embeddings.rows, m.embeddings.columns], values: m.embeddings.values), to: npy,
                              ids: m.paperIDs.map(\.rawValue))
        print("wrote \(npy) (\(m.embeddings.rows) × \(m.embeddings.columns) float32) and \(npy).ids.txt")
    }
}
