import BuildInfo
import Foundation
import LinearAlgebra
import PaperFeedCore
import PaperFeedIO
import Ranking
import TopicModel

/// Fitting, loading and querying topic models stored under `Models/`.
public enum ModelPipeline {
    /// Default model folder.
    public static let defaultModel = "Models/default"

    /// What `paperfeed fit --json` prints.
    public struct FitSummary: Sendable, Codable {
        public var model: String
        /// The version folder written (`v000003-…`, inside `model`; see Models/README.md).
        public var version: String?
        public var report: TopicModel.FitReport
        public var secondsLoad: Double
        public var secondsSave: Double
    }

    /// Fits on every paper with text in the store (title + "\n" + abstract), or on the term
    /// counts of the bag-of-words corpus `corpus`, and saves the model to `directory`.
    public static func fit(store: Store, directory: String, configuration: TopicModelConfiguration, corpus: String? = nil,
                           clock: any Clock, progress: Progress) throws -> FitSummary {
        let t0 = now()
        let model: TopicModel
        let report: TopicModel.FitReport
        let created = Timestamp.format(clock.now)
        if let corpus {
            guard let c = try store.corpus(named: corpus) else {
                throw KitError.notFound("corpus \(corpus) is not in the store; ingest it with paperfeed ingest corpus")
            }
            let loaded = now() - t0
            progress("fitting on \(c.documents.count) bag-of-words documents of \(corpus)")
            (model, report) = try TopicModel.fit(counts: c.documents, vocabulary: c.vocabulary, configuration: configuration,
                                                 createdAt: created, progress: progress.callback)
            return try save(model, report: report, directory: directory, loadSeconds: loaded)
        }
        let papers = try store.paperTexts()
        let loaded = now() - t0
        progress("fitting on \(papers.count) papers")
        (model, report) = try TopicModel.fit(documents: papers, configuration: configuration,
                                             createdAt: created, progress: progress.callback)
        return try save(model, report: report, directory: directory, loadSeconds: loaded)
    }

    static func save(_ model: TopicModel, report: TopicModel.FitReport, directory: String, loadSeconds: Double) throws -> FitSummary {
        let t = now()
        var artifact = model.artifact()
        // Provenance in the manifest's parameters (docs/outputs.md): what built the model and how
        // many of its papers were in the fit (fold-ins append more; see FoldInPipeline).
        artifact.parameters["fitted_documents"] = String(model.paperIDs.count)
        artifact.parameters["paperfeed_version"] = Build.version
        artifact.parameters["paperfeed_commit"] = Build.commit
        let version = try ModelFiles.save(artifact, to: directory)
        return FitSummary(model: directory, version: version.name, report: report, secondsLoad: loadSeconds, secondsSave: now() - t)
    }

    /// The model folder's current version (one consistent version even while a `fit` saves).
    public static func load(_ directory: String) throws -> TopicModel {
        try TopicModel(artifact: ModelFiles.load(from: directory))
    }

    /// One resolved version (`ModelFiles.currentVersion(of:)`): load the topic model and read the
    /// version's attachments (`ModelFiles.attachment(_:of:)`) from the same version.
    public static func load(version: ModelVersion) throws -> TopicModel {
        try TopicModel(artifact: ModelFiles.load(version: version))
    }

    /// The topic space for ranking: every fitted paper, plus papers in the store that arrived
    /// after the fit, folded in through the fitted vectorizer (no refit).
    public static func space(model: TopicModel, store: Store) throws -> (space: TopicSpace, foldedIn: Int) {
        let fitted = Set(model.paperIDs)
        let newcomers = try store.paperTexts().filter { !fitted.contains($0.id) }
        var ids = model.paperIDs
        var values = model.embeddings.values
        if !newcomers.isEmpty {
            let folded = try model.foldIn(texts: newcomers.map(\.text))
            ids += newcomers.map(\.id)
            values += folded.values
        }
        let matrix = DenseMatrix(rows: ids.count, columns: model.dimensions, values: values)
        return (try TopicSpace(ids: ids, embeddings: matrix, centered: true), newcomers.count)
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

/// Errors of the pipelines; messages say what to do.
public enum KitError: Error, CustomStringConvertible {
    case notFound(String)
    case invalid(String)
    public var description: String {
        switch self {
        case .notFound(let s), .invalid(let s): return s
        }
    }
}
