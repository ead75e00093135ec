import Foundation
import LinearAlgebra
import PaperFeedCore
import TextFeatures

/// A fitted topic model (latent semantic analysis): TF-IDF rows projected on the top right
/// singular vectors of the documents × terms matrix.
///
///     A = TF-IDF(documents)          (n × m, rows l2-normalized)
///     A ≈ U Σ Vᵀ                     (randomized truncated SVD, Halko et al. 2011)
///     embedding(d) = a_d V / |a_d V| (unit rows: cosine similarity is a dot product)
///
/// The embedding of a fitted paper is computed exactly as a fold-in (`foldIn`) of its text, so
/// folding in a paper that was in the fit gives its embedding back. Immutable.
public struct TopicModel: Sendable {
    public let configuration: TopicModelConfiguration
    public let tfidf: FittedTfidf
    /// Fitted papers, in the order of `embeddings` rows (the order they were given).
    public let paperIDs: [PaperID]
    public let embeddings: DenseMatrix
    public let singularValues: [Float]
    public let explainedVarianceRatio: [Float]
    /// Vᵀ: component × term loadings (k × m).
    public let termLoadings: DenseMatrix
    public let corpusSHA256: String
    public let createdAt: String

    public var dimensions: Int { singularValues.count }

    public init(configuration: TopicModelConfiguration, tfidf: FittedTfidf, paperIDs: [PaperID], embeddings: DenseMatrix,
                singularValues: [Float], explainedVarianceRatio: [Float], termLoadings: DenseMatrix, corpusSHA256: String,
                createdAt: String) {
        self.configuration = configuration
        self.tfidf = tfidf
        self.paperIDs = paperIDs
        self.embeddings = embeddings
        self.singularValues = singularValues
        self.explainedVarianceRatio = explainedVarianceRatio
        self.termLoadings = termLoadings
        self.corpusSHA256 = corpusSHA256
        self.createdAt = createdAt
    }

    /// Seconds per stage and sizes of a fit (what `paperfeed fit --json` prints).
    public struct FitReport: Sendable, Codable, Equatable {
        public var documents = 0
        public var terms = 0
        public var nnz = 0
        public var dims = 0
        public var singularValues: [Float] = []
        public var explainedVarianceRatio: [Float] = []
        public var secondsTfidf = 0.0
        public var secondsSVD = 0.0
        public var secondsEmbed = 0.0
        public var secondsTotal = 0.0
    }

    /// Fits on texts (title + "\n" + abstract). `createdAt` comes from the caller's clock.
    /// Throws `invalidConfiguration` for a configuration with `problems()`, and when `dims` is
    /// more than the documents or the surviving terms.
    public static func fit(documents: [(id: PaperID, text: String)], configuration: TopicModelConfiguration, createdAt: String,
                           progress: (@Sendable (String) -> Void)? = nil) throws -> (TopicModel, FitReport) {
        if let problem = configuration.problems().first { throw TopicModelError.invalidConfiguration(problem) }
        guard !documents.isEmpty else { throw TopicModelError.emptyCorpus }
        var report = FitReport()
        let t0 = now()
        progress?("tokenizing and weighting \(documents.count) documents")
        let (tfidf, matrix) = configuration.tfidf.fit(documents: documents.map(\.text))
        report.secondsTfidf = now() - t0
        var corpusHash = SHA256()
        for (d, h) in zip(documents, stableTextHashes(documents)) { corpusHash.update(d.id.rawValue + "\t" + String(h, radix: 16) + "\n") }
        let model = try finish(matrix: matrix, tfidf: tfidf, ids: documents.map(\.id), configuration: configuration,
                               corpusSHA256: corpusHash.finalize().hexString, createdAt: createdAt, report: &report, progress: progress)
        report.secondsTotal = now() - t0
        return (model, report)
    }

    /// Fits on term counts (bag-of-words corpora without text), over `vocabulary`.
    public static func fit(counts documents: [BagOfWordsDocument], vocabulary: [String], configuration: TopicModelConfiguration,
                           createdAt: String, progress: (@Sendable (String) -> Void)? = nil) throws -> (TopicModel, FitReport) {
        if let problem = configuration.problems().first { throw TopicModelError.invalidConfiguration(problem) }
        guard !documents.isEmpty else { throw TopicModelError.emptyCorpus }
        var report = FitReport()
        let t0 = now()
        let (tfidf, matrix) = configuration.tfidf.fit(
            counts: documents.map { TermCounts(termIDs: $0.termIDs, counts: $0.counts) }, vocabulary: vocabulary)
        report.secondsTfidf = now() - t0
        var corpusHash = SHA256()
        for d in documents {
            corpusHash.update(d.paper.rawValue + "\t" + zip(d.termIDs, d.counts).map { "\($0):\($1)" }.joined(separator: " ") + "\n")
        }
        let model = try finish(matrix: matrix, tfidf: tfidf, ids: documents.map(\.paper), configuration: configuration,
                               corpusSHA256: corpusHash.finalize().hexString, createdAt: createdAt, report: &report, progress: progress)
        report.secondsTotal = now() - t0
        return (model, report)
    }

    static func finish(matrix: CSRMatrix, tfidf: FittedTfidf, ids: [PaperID], configuration: TopicModelConfiguration,
                       corpusSHA256: String, createdAt: String, report: inout FitReport,
                       progress: (@Sendable (String) -> Void)?) throws -> TopicModel {
        guard matrix.columns >= 2 else { throw TopicModelError.tooFewTerms(matrix.columns) }
        guard configuration.dimensions <= min(matrix.rows, matrix.columns) else {
            throw TopicModelError.invalidConfiguration(
                "dims = \(configuration.dimensions) is more than the \(matrix.rows) documents or the \(matrix.columns) terms; "
                    + "use --dims ≤ \(min(matrix.rows, matrix.columns))")
        }
        report.documents = matrix.rows
        report.terms = matrix.columns
        report.nnz = matrix.nonZeroCount
        progress?("truncated SVD: \(matrix.rows) × \(matrix.columns), nnz \(matrix.nonZeroCount), k = \(configuration.dimensions)")
        let t1 = now()
        let svd = try RandomizedSVD(
            rank: configuration.dimensions, oversampling: configuration.oversampling,
            powerIterations: configuration.powerIterations ?? RandomizedSVD.defaultPowerIterations, seed: configuration.seed
        ).fit(matrix)
        report.secondsSVD = now() - t1
        let t2 = now()
        let embeddings = try project(matrix, loadings: svd.vt)
        report.secondsEmbed = now() - t2
        report.dims = svd.rank
        report.singularValues = svd.singularValues
        report.explainedVarianceRatio = svd.explainedVarianceRatio
        return TopicModel(configuration: configuration, tfidf: tfidf, paperIDs: ids, embeddings: embeddings,
                          singularValues: svd.singularValues, explainedVarianceRatio: svd.explainedVarianceRatio,
                          termLoadings: svd.vt, corpusSHA256: corpusSHA256, createdAt: createdAt)
    }

    /// a·V for each row, then each row scaled to unit length (zero rows stay zero).
    static func project(_ rows: CSRMatrix, loadings vt: DenseMatrix) throws -> DenseMatrix {
        var e = try rows.multiplied(by: vt.transposed())
        e.normalizeRows()
        return e
    }

    /// Embeddings of new texts (papers that arrived after the fit), through the fitted vectorizer
    /// (unknown terms ignored) and the term loadings; no refit.
    public func foldIn(texts: [String]) throws -> DenseMatrix {
        try TopicModel.project(tfidf.transform(texts), loadings: termLoadings)
    }

    /// Embeddings of new bag-of-words documents whose term ids index `vocabulary` (the corpus
    /// vocabulary; terms are matched by text, so it need not be the fitted column order).
    public func foldIn(counts: [BagOfWordsDocument], vocabulary: [String]) throws -> DenseMatrix {
        try TopicModel.project(
            tfidf.transform(counts: counts.map { TermCounts(termIDs: $0.termIDs, counts: $0.counts) }, vocabulary: vocabulary),
            loadings: termLoadings)
    }

    /// `text.hashValueStable` of every document, in parallel over contiguous UTF-8 (the same
    /// values: FNV-1a over the bytes).
    static func stableTextHashes(_ documents: [(id: PaperID, text: String)]) -> [UInt64] {
        let n = documents.count
        let parts = max(1, min(n / 1024, 4 * ProcessInfo.processInfo.activeProcessorCount))
        let slots = ConcurrentSlots<[UInt64]>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            var out: [UInt64] = []
            out.reserveCapacity(n / parts + 1)
            for i in (p * n / parts)..<((p + 1) * n / parts) {
                var text = documents[i].text
                out.append(text.withUTF8 { bytes in
                    var h: UInt64 = 0xcbf2_9ce4_8422_2325
                    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
                    return h
                })
            }
            slots[p] = out
        }
        return slots.values.flatMap { $0! }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
