import BuildInfo
import Foundation
import LinearAlgebra
import PaperFeedCore
import PaperFeedIO
import TextFeatures
import TopicModel

/// `paperfeed fold-in` (and the nightly's fold-in step): papers that reached the store after the
/// model was fitted are folded into it — their embedding is the fitted vectorizer's TF-IDF row
/// times the fitted term loadings, row-normalized (`TopicModel.foldIn`), exactly what ranking
/// computes on the fly — and the model folder is rewritten with them appended, so later
/// commands start from it. When the model has drifted too far from a fit, it is refitted on
/// every paper in the store instead:
///
/// - **folded-in share** = papers in the model that were not in its fit (earlier fold-ins plus
///   these) / all papers in the model; refit above `maxFoldedInShare` (default 0.25);
/// - **vocabulary drift** = OOV(new) − OOV(reference), where OOV(S) is the share of the term
///   occurrences of the texts S (tokenized by the model's tokenizer) that are not in the model's
///   vocabulary and the reference is the last 2,000 fitted papers by id (the baseline OOV rate of
///   text the model did see, which min_df/max_df pruning makes non-zero); refit above
///   `maxVocabularyDrift` (default 0.10).
///
/// The folder is replaced as a whole (written beside it, then swapped in), so a kill leaves
/// the old model or the new one. Manifests record `fitted_documents`, `folded_in`, and the
/// PaperFeed version and commit in their parameters.
public enum FoldInPipeline {
    public struct Thresholds: Sendable, Codable, Equatable {
        public var maxFoldedInShare = 0.25
        public var maxVocabularyDrift = 0.10
        public init() {}
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var model: String
        /// Papers in the model before, and papers in the store it did not have.
        public var papersBefore: Int
        public var newPapers: Int
        public var foldedInShare: Double
        public var vocabularyDrift: Double
        public var refit: Bool
        public var reason: String
        public var papersAfter: Int
    }

    /// What a fold-in would do, computed from the model folder and the store without changing
    /// either (the nightly records it before applying it, so a rerun after a kill repeats it).
    public struct Plan {
        public var summary: Summary
        let model: TopicModel
        let fitted: Int
        let texts: [(id: PaperID, text: String)]
        let newcomers: [(id: PaperID, text: String)]
    }

    public static func plan(store: Store, directory: String, thresholds: Thresholds = .init(), allowRefit: Bool = true) throws -> Plan {
        let artifact = try ModelFiles.load(from: directory)
        let model = try TopicModel(artifact: artifact)
        let known = Set(model.paperIDs)
        let texts = try store.paperTexts()
        let newcomers = texts.filter { !known.contains($0.id) }
        let fitted = artifact.parameters["fitted_documents"].flatMap(Int.init) ?? model.paperIDs.count
        let after = model.paperIDs.count + newcomers.count
        let share = after == 0 ? 0 : Double(after - fitted) / Double(after)
        let reference = texts.filter { known.contains($0.id) }.suffix(2000).map(\.text)
        let drift = newcomers.isEmpty ? 0 : oov(newcomers.map(\.text), model: model) - oov(Array(reference), model: model)
        var summary = Summary(model: directory, papersBefore: model.paperIDs.count, newPapers: newcomers.count, foldedInShare: share,
                              vocabularyDrift: drift, refit: false, reason: "", papersAfter: after)
        if newcomers.isEmpty {
            summary.reason = "no new papers"
        } else if allowRefit && share > thresholds.maxFoldedInShare {
            summary.refit = true
            summary.reason = "folded-in share \(String(format: "%.3f", share)) > \(thresholds.maxFoldedInShare): refit on \(texts.count) papers"
        } else if allowRefit && drift > thresholds.maxVocabularyDrift {
            summary.refit = true
            summary.reason = "vocabulary drift \(String(format: "%.3f", drift)) > \(thresholds.maxVocabularyDrift): refit on \(texts.count) papers"
        } else {
            summary.reason = "fold in \(newcomers.count) papers (folded-in share \(String(format: "%.3f", share)), "
                + "vocabulary drift \(String(format: "%.3f", drift)))"
        }
        if summary.refit { summary.papersAfter = texts.count }
        return Plan(summary: summary, model: model, fitted: fitted, texts: texts, newcomers: newcomers)
    }

    /// Carries out `plan`: writes the grown (or refitted, with `fit` or the model's own
    /// configuration) model to its folder, dated by `clock`. Nothing to do without new papers.
    public static func apply(_ plan: Plan, fit: TopicModelConfiguration? = nil, clock: any Clock, progress: Progress) throws {
        let s = plan.summary, model = plan.model
        guard s.newPapers > 0 else { return }
        let created = Timestamp.format(clock.now)
        progress("fold-in: " + s.reason)
        if s.refit {
            let (refitted, _) = try TopicModel.fit(documents: plan.texts, configuration: fit ?? model.configuration, createdAt: created,
                                                   progress: progress.callback)
            return try save(refitted, fitted: plan.texts.count, to: s.model)
        }
        let folded = try model.foldIn(texts: plan.newcomers.map(\.text))
        let embeddings = DenseMatrix(rows: s.papersAfter, columns: model.dimensions, values: model.embeddings.values + folded.values)
        let grown = TopicModel(configuration: model.configuration, tfidf: model.tfidf, paperIDs: model.paperIDs + plan.newcomers.map(\.id),
                               embeddings: embeddings, singularValues: model.singularValues,
                               explainedVarianceRatio: model.explainedVarianceRatio, termLoadings: model.termLoadings,
                               corpusSHA256: model.corpusSHA256, createdAt: created)
        try save(grown, fitted: plan.fitted, to: s.model)
    }

    /// `plan` then `apply`: folds the store's new papers into the model at `directory` (or refits).
    public static func run(store: Store, directory: String, thresholds: Thresholds = .init(), fit: TopicModelConfiguration? = nil,
                           allowRefit: Bool = true, clock: any Clock, progress: Progress) throws -> Summary {
        let p = try plan(store: store, directory: directory, thresholds: thresholds, allowRefit: allowRefit)
        try apply(p, fit: fit, clock: clock, progress: progress)
        return p.summary
    }

    /// Fits a first model on every paper with text in the store and saves it to `directory`.
    public static func fitFirst(store: Store, directory: String, configuration: TopicModelConfiguration, clock: any Clock,
                                progress: Progress) throws -> Summary {
        let texts = try store.paperTexts()
        guard !texts.isEmpty else { throw KitError.notFound("\(store.path): no paper with text to fit a model on; ingest papers first") }
        progress("fold-in: no model at \(directory) yet: fitting \(configuration.dimensions) dims on \(texts.count) papers")
        let (model, _) = try TopicModel.fit(documents: texts, configuration: configuration, createdAt: Timestamp.format(clock.now),
                                            progress: progress.callback)
        try save(model, fitted: texts.count, to: directory)
        return Summary(model: directory, papersBefore: 0, newPapers: texts.count, foldedInShare: 0, vocabularyDrift: 0, refit: true,
                       reason: "no model yet: fitted on \(texts.count) papers", papersAfter: texts.count)
    }

    /// Saves `model` with its provenance parameters as a new version of the model folder
    /// (`ModelFiles.save`: staged, then made current by one rename; the previous version kept).
    public static func save(_ model: TopicModel, fitted: Int, to directory: String) throws {
        var a = model.artifact()
        a.parameters["fitted_documents"] = String(fitted)
        a.parameters["folded_in"] = String(model.paperIDs.count - fitted)
        a.parameters["paperfeed_version"] = Build.version
        a.parameters["paperfeed_commit"] = Build.commit
        try ModelFiles.save(a, to: directory)
    }

    /// Share of the term occurrences of `texts` not in the model's vocabulary.
    static func oov(_ texts: [String], model: TopicModel) -> Double {
        let tokenizer = model.tfidf.configuration.tokenizer
        var total = 0, unknown = 0
        for t in texts {
            for term in tokenizer.terms(in: t) {
                total += 1
                if model.tfidf.column(of: term) == nil { unknown += 1 }
            }
        }
        return total == 0 ? 0 : Double(unknown) / Double(total)
    }
}
