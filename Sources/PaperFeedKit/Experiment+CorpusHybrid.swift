import Collaborative
import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO
import TopicModel

extension Experiment {
    /// The topic model of a content system (cached per documents file and parameters; fitted on
    /// the term counts of all documents, no reader data).
    static func contentModel(_ spec: ExperimentConfiguration.SystemSpec, files: ExperimentConfiguration.CorpusFiles,
                             corpus: Corpus, seed: UInt64, progress: Progress) throws -> TopicModel {
        var mc = TopicModelConfiguration()
        mc.dimensions = spec.dims ?? 200
        mc.minDocumentFrequency = spec.minDf ?? 2
        mc.maxDocumentFrequency = spec.maxDf ?? 0.5
        mc.sublinearTF = spec.sublinearTf ?? true
        mc.seed = seed
        let key = files.documents + "|" + mc.parameters.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: ",")
        if let cached = modelCache.get(key) { return cached }
        progress("\(spec.name): fitting TF-IDF + SVD (\(mc.dimensions) dims) on \(corpus.documents.count) documents")
        let model = try TopicModel.fit(counts: corpus.documents, vocabulary: corpus.vocabulary, configuration: mc,
                                       createdAt: "experiment").0
        modelCache.set(key, model)
        return model
    }

    static func contentNote(_ spec: ExperimentConfiguration.SystemSpec, model: TopicModel, documents: Int) -> String {
        let p = model.configuration
        return "TF-IDF (min_df \(p.minDocumentFrequency), max_df \(p.maxDocumentFrequency), sublinear tf \(p.sublinearTF), "
            + "smooth idf, l2) + randomized SVD, \(model.dimensions) dims, fitted on the counts of all \(documents) documents; "
            + "aggregation \(spec.aggregation ?? "profile")"
            + (spec.aggregation == "itemknn" ? " (k = \(spec.neighbours ?? 100), profile weight \(spec.profileWeight ?? 0.001))" : "")
    }

    /// One part of a hybrid (or a single collaborative system) fitted on the lists `train`.
    static func corpusScorer(_ spec: ExperimentConfiguration.SystemSpec, train: [[Int]], itemCount: Int,
                             files: ExperimentConfiguration.CorpusFiles, corpus: Corpus, seed: UInt64,
                             progress: Progress) throws -> (scorer: any CatalogScorer, note: String) {
        switch spec.baseline {
        case "content", "content-only":
            guard (spec.aggregation ?? "profile") == "profile" else {
                throw KitError.invalid("system \(spec.name): a hybrid's content part uses aggregation profile")
            }
            let model = try contentModel(spec, files: files, corpus: corpus, seed: seed, progress: progress)
            return (ContentProfileScorer(embeddings: model.embeddings, train: train),
                    contentNote(spec, model: model, documents: corpus.documents.count))
        case "als":
            let c = ImplicitALSConfiguration(factors: spec.factors ?? 64, regularization: spec.regularization ?? 1,
                                             alpha: spec.alpha ?? 40, iterations: spec.iterations ?? 10, seed: seed)
            let x = try InteractionMatrix(lists: train, itemCount: itemCount)
            let t = ModelPipeline.now()
            let model = try c.fit(x) { i, loss in progress("\(spec.name): ALS iteration \(i), loss \(String(format: "%.1f", loss))") }
            return (ALSScorer(model: model),
                    "implicit ALS (Hu, Koren & Volinsky 2008), f = \(c.factors), λ = \(c.regularization), α = \(c.alpha), "
                    + "\(c.iterations) iterations, seed \(seed), fitted in \(String(format: "%.1f", ModelPipeline.now() - t)) s "
                    + "on \(x.interactionCount) training pairs; final loss \(String(format: "%.1f", model.losses.last ?? 0))")
        case "item-knn":
            let c = ItemKNNConfiguration(neighbours: spec.neighbours ?? 100, shrinkage: spec.shrinkage ?? 10)
            let x = try InteractionMatrix(lists: train, itemCount: itemCount)
            let model = try c.fit(x)
            return (ItemKNNScorer(model: model, interactions: x),
                    "item-kNN CF, shrunk cosine |U_i ∩ U_j| / (sqrt(|U_i||U_j|) + \(c.shrinkage)), \(c.neighbours) neighbours per item")
        case "popularity":
            return (PopularityScorer(try InteractionMatrix(lists: train, itemCount: itemCount)), "log(1 + readers of the item in the training lists)")
        default:
            throw KitError.invalid("system \(spec.name): a hybrid part is one of content, als, item-knn, popularity "
                + "(got \(spec.baseline ?? "a blend file"))")
        }
    }

    /// A collaborative system (one part, weight 1) or a hybrid with given or learned weights.
    static func hybridRanker(_ spec: ExperimentConfiguration.SystemSpec, split: CTRSplit,
                             files: ExperimentConfiguration.CorpusFiles, corpus: Corpus, config: ExperimentConfiguration,
                             progress: Progress) throws -> (HybridCatalogRanker, String) {
        guard spec.baseline == "hybrid" else {
            let (scorer, note) = try corpusScorer(spec, train: split.train, itemCount: split.itemCount, files: files,
                                                  corpus: corpus, seed: config.seed, progress: progress)
            return (HybridCatalogRanker(parts: [scorer], weights: [1]), note)
        }
        guard let parts = spec.parts, !parts.isEmpty else {
            throw KitError.invalid("system \(spec.name): a hybrid needs \"parts\" (a list of systems)")
        }
        if let w = spec.weights, w.count != parts.count {
            throw KitError.invalid("system \(spec.name): \(w.count) weights for \(parts.count) parts; give one per part")
        }
        let names = parts.map(\.name).joined(separator: " + ")
        var weights = spec.weights ?? []
        var how: String
        if weights.isEmpty {
            let holdout = spec.learnHoldout ?? 2, seed = spec.learnSeed ?? 7
            let inner = try split.validationSplit(holdout: holdout, seed: seed)
            progress("\(spec.name): learning the weights on \(holdout) items per reader held out of the training lists (seed \(seed))")
            let innerParts = try parts.map {
                try corpusScorer($0, train: inner.train, itemCount: split.itemCount, files: files, corpus: corpus,
                                 seed: config.seed, progress: progress).scorer
            }
            var search = HybridWeightSearch()
            if let g = spec.weightGrid { search.grid = g }
            search.cutoff = spec.learnCutoff ?? config.k
            let learned = try search.learn(parts: innerParts, train: inner.train, heldOut: inner.test)
            weights = learned.weights
            let best = learned.trials.filter { $0.weights == weights }.map(\.recall).max() ?? 0
            var seen = Set<[Double]>()
            let tried = learned.trials.filter { seen.insert($0.weights).inserted }.map { t in "(" + t.weights.map { format($0) }.joined(separator: ", ") + ") \(String(format: "%.4f", t.recall))" }
            how = "weights learned on the training lists only: \(holdout) items per reader held out (seed \(seed), "
                + "\(inner.evaluatedReaders.count) readers), coordinate ascent over \(search.grid.map { format($0) }) on "
                + "recall@\(search.cutoff) (first part fixed at 1); inner recall@\(search.cutoff) \(String(format: "%.4f", best)); "
                + "tried: " + tried.joined(separator: "; ")
        } else {
            how = "weights given in the experiment file"
        }
        var notes: [String] = []
        let scorers = try parts.map { p -> any CatalogScorer in
            let (s, note) = try corpusScorer(p, train: split.train, itemCount: split.itemCount, files: files, corpus: corpus,
                                             seed: config.seed, progress: progress)
            notes.append("\(p.name): \(note)")
            return s
        }
        let text = "hybrid Σ w_p·z_p of per-reader standardized scores of \(names), weights ("
            + weights.map { format($0) }.joined(separator: ", ") + "); " + how + ". Parts: " + notes.joined(separator: "; ")
        return (HybridCatalogRanker(parts: scorers, weights: weights), text)
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%g", v)
    }
}
