import Foundation
import LinearAlgebra
import PaperFeedCore

extension TopicModel {
    /// The `top` terms with the largest loadings on component `component` (0-based), largest
    /// first, ties by term. The SVD's sign rule makes each component's largest |loading| positive.
    public func topTerms(component: Int, top: Int) -> [(term: String, loading: Float)] {
        let m = termLoadings.columns
        let row = termLoadings.values[(component * m)..<((component + 1) * m)]
        let order = row.indices.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : tfidf.vocabulary[$0 - component * m] < tfidf.vocabulary[$1 - component * m] }
        return order.prefix(top).map { (term: tfidf.vocabulary[$0 - component * m], loading: row[$0]) }
    }

    /// The `k` fitted papers most similar (cosine) to `paper`, best first, ties by id; the paper
    /// itself is left out.
    public func similar(to paper: PaperID, k: Int) throws -> [(paper: PaperID, similarity: Float)] {
        guard let i = paperIDs.firstIndex(of: paper) else { throw TopicModelError.unknownPaper(paper.rawValue) }
        return try similar(to: embeddings.row(i), k: k, excluding: [paper])
    }

    /// The `k` fitted papers most similar to a unit vector (for example a folded-in text).
    public func similar(to vector: [Float], k: Int, excluding: Set<PaperID> = []) throws -> [(paper: PaperID, similarity: Float)] {
        let scores = try BLAS.gemv(embeddings, vector)
        let order = scores.indices.filter { !excluding.contains(paperIDs[$0]) }.sorted {
            scores[$0] != scores[$1] ? scores[$0] > scores[$1] : paperIDs[$0] < paperIDs[$1]
        }
        return order.prefix(k).map { (paper: paperIDs[$0], similarity: scores[$0]) }
    }
}
