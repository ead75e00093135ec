import Foundation
import LinearAlgebra
import PaperFeedCore
import TextFeatures

extension TopicModel {
    public static let artifactKind = "paperfeed-topic-model"

    /// The model as files see it (see `ModelFiles` in PaperFeedIO). idf values are kept as
    /// decimal text with full Double precision, so a reloaded model folds in bit-for-bit.
    public func artifact() -> ModelArtifact {
        var hash = SHA256()
        hash.update(tfidf.vocabulary.joined(separator: "\n"))
        return ModelArtifact(
            kind: TopicModel.artifactKind, createdAt: createdAt, parameters: configuration.parameters, seed: configuration.seed,
            documentCount: paperIDs.count, vocabularySHA256: hash.finalize().hexString, corpusSHA256: corpusSHA256,
            arrays: [
                "embeddings": FloatArray(shape: [embeddings.rows, embeddings.columns], values: embeddings.values),
                "singular_values": FloatArray(shape: [singularValues.count], values: singularValues),
                "explained_variance_ratio": FloatArray(shape: [explainedVarianceRatio.count], values: explainedVarianceRatio),
                "term_loadings": FloatArray(shape: [termLoadings.rows, termLoadings.columns], values: termLoadings.values),
            ],
            lists: [
                "vocabulary": tfidf.vocabulary, "idf": tfidf.idf.map { "\($0)" },
                "document_frequency": tfidf.documentFrequency.map(String.init), "papers": paperIDs.map(\.rawValue),
            ])
    }

    /// Rebuilds a model from its artifact, checking that the parts agree.
    public init(artifact a: ModelArtifact) throws {
        guard a.kind == TopicModel.artifactKind else { throw TopicModelError.badModel("kind is \(a.kind), expected \(TopicModel.artifactKind)") }
        let configuration = try TopicModelConfiguration(parameters: a.parameters)
        guard let vocabulary = a.lists["vocabulary"], let idfText = a.lists["idf"], let papers = a.lists["papers"],
              let e = a.arrays["embeddings"], let s = a.arrays["singular_values"], let vt = a.arrays["term_loadings"]
        else { throw TopicModelError.badModel("a required array or list is missing") }
        let idf = idfText.compactMap(Double.init)
        guard idf.count == vocabulary.count else { throw TopicModelError.badModel("\(idf.count) idf values for \(vocabulary.count) terms") }
        var hash = SHA256()
        hash.update(vocabulary.joined(separator: "\n"))
        guard hash.finalize().hexString == a.vocabularySHA256 else {
            throw TopicModelError.badModel("the vocabulary does not match the manifest's checksum")
        }
        let k = s.values.count
        guard e.shape == [papers.count, k], vt.shape == [k, vocabulary.count], a.documentCount == papers.count else {
            throw TopicModelError.badModel("shapes disagree: embeddings \(e.shape), loadings \(vt.shape), \(papers.count) papers, k = \(k)")
        }
        guard Set(papers).count == papers.count else { throw TopicModelError.badModel("the papers list repeats an id") }
        let df = (a.lists["document_frequency"] ?? []).compactMap(Int.init)
        guard df.allSatisfy({ $0 >= 0 }) else { throw TopicModelError.badModel("a document frequency is negative") }
        let tfidf: FittedTfidf
        do {
            tfidf = try FittedTfidf(configuration: configuration.tfidf, vocabulary: vocabulary, idf: idf,
                                    documentFrequency: df.count == vocabulary.count ? df : [], documentCount: a.documentCount)
        } catch {
            throw TopicModelError.badModel("\(error)")
        }
        self.init(
            configuration: configuration, tfidf: tfidf, paperIDs: papers.map { PaperID($0) }, embeddings: DenseMatrix(rows: e.shape[0], columns: k, values: e.values),
            singularValues: s.values, explainedVarianceRatio: a.arrays["explained_variance_ratio"]?.values ?? [],
            termLoadings: DenseMatrix(rows: k, columns: vocabulary.count, values: vt.values), corpusSHA256: a.corpusSHA256,
            createdAt: a.createdAt)
    }
}
