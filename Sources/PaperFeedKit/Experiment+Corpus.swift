import Foundation
import Collaborative
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO
import TopicModel

extension CTRSplit {
    /// Reads a published split (`cf-train-P-users.dat`, `cf-test-P-users.dat`; `N id id …` per
    /// line, gzip or plain) and validates it against `itemCount` documents.
    public static func load(name: String, train: String, test: String, itemCount: Int) throws -> CTRSplit {
        let split = CTRSplit(name: name, itemCount: itemCount, train: try ListFileParser.parse(path: train),
                             test: try ListFileParser.parse(path: test))
        try split.validate()
        return split
    }
}

extension Experiment {
    /// The CTR protocol on a bag-of-words corpus: the topic model is fitted on the term counts of
    /// all documents (no reader data), every item outside a reader's train set is ranked.
    static func runCorpus(_ files: ExperimentConfiguration.CorpusFiles, config: ExperimentConfiguration,
                          progress: Progress) throws -> Outcome {
        guard config.split.kind == "ctr" else {
            throw KitError.invalid("a corpus experiment needs split kind \"ctr\" (got \"\(config.split.kind)\")")
        }
        let corpus = try CorpusParser.parse(name: files.name, documents: files.documents, vocabulary: files.vocabulary, libraries: nil)
        if let issue = corpus.issues.first { throw KitError.invalid("corpus \(files.name): \(issue)") }
        var split = try CTRSplit.load(name: files.name, train: files.train, test: files.test, itemCount: corpus.documents.count)
        var notes: [String] = []
        var splitText = "CTR protocol, published lists \(files.train) / \(files.test); every item not in the reader's train set is ranked"
        if let holdout = config.split.validationHoldout {
            split = try split.validationSplit(holdout: holdout, seed: config.split.validationSeed ?? config.seed)
            splitText = "VALIDATION on the train lists only: \(holdout) train items per reader held out "
                + "(readers with > \(holdout) train items, seed \(config.split.validationSeed ?? config.seed)); test lists unused"
        }
        let readers = split.evaluatedReaders
        let users = readers.map { split.user($0) }
        progress("\(files.name): \(corpus.documents.count) documents, \(split.readerCount) readers, \(readers.count) with test items")
        var runs: [SystemRun] = []
        for spec in config.systems {
            let t = ModelPipeline.now()
            var lists: [RankedList]
            switch spec.baseline {
            case "random":
                let candidates = (0..<split.itemCount).map { split.paper($0) }
                var exclude: [UserID: Set<PaperID>] = [:]
                for u in readers { exclude[split.user(u)] = Set(split.train[u].map { split.paper($0) }) }
                lists = RandomRanker(name: spec.name, seed: config.seed).rank(users: users, candidates: candidates, exclude: exclude, k: config.k)
            case "content", "content-only":
                let model = try contentModel(spec, files: files, corpus: corpus, seed: config.seed, progress: progress)
                let aggregation: ContentCatalogRanker.Aggregation
                switch spec.aggregation ?? "profile" {
                case "profile": aggregation = .profile
                case "itemknn": aggregation = .itemKNN(neighbours: spec.neighbours ?? 100, profileWeight: spec.profileWeight ?? 0.001)
                case let other: throw KitError.invalid("system \(spec.name): unknown aggregation \"\(other)\"; use profile or itemknn")
                }
                let ranker = ContentCatalogRanker(embeddings: model.embeddings, aggregation: aggregation)
                let top = try ranker.rank(train: split.train, readers: readers, k: config.k)
                lists = zip(readers, top).map { u, items in
                    RankedList(user: split.user(u), items: items.map { RankedItem(paper: split.paper($0.item), score: Double($0.score)) })
                }
                notes.append("\(spec.name): " + contentNote(spec, model: model, documents: corpus.documents.count))
            case "als", "item-knn", "popularity", "hybrid":
                let (ranker, note) = try hybridRanker(spec, split: split, files: files, corpus: corpus, config: config, progress: progress)
                let top = try ranker.rank(train: split.train, readers: readers, k: config.k)
                lists = zip(readers, top).map { u, items in
                    RankedList(user: split.user(u), items: items.map { RankedItem(paper: split.paper($0.item), score: Double($0.score)) })
                }
                notes.append("\(spec.name): " + note)
            default:
                throw KitError.invalid("system \(spec.name): corpus experiments support the baselines random, content, als, item-knn, popularity and hybrid "
                    + "(got \(spec.baseline ?? "a blend file"))")
            }
            runs.append(SystemRun(name: spec.name, run: Run(rankedLists: lists), seconds: ModelPipeline.now() - t))
            progress("\(spec.name): ranked \(lists.count) readers in \(String(format: "%.1f", ModelPipeline.now() - t)) s")
        }
        let data = "bag-of-words corpus \(files.name) (\(corpus.documents.count) documents, \(corpus.vocabulary.count) terms)"
        return Outcome(qrels: split.qrels, runs: runs, data: data, split: splitText, notes: notes)
    }
}

/// Topic models fitted on corpus counts, shared by the systems and experiments of one process
/// (keyed by documents file and model parameters; the fit uses no reader data).
final class ModelCache: @unchecked Sendable {
    private var models: [String: TopicModel] = [:]
    private let lock = NSLock()
    func get(_ key: String) -> TopicModel? { lock.lock(); defer { lock.unlock() }; return models[key] }
    func set(_ key: String, _ model: TopicModel) { lock.lock(); models[key] = model; lock.unlock() }
}

let modelCache = ModelCache()
