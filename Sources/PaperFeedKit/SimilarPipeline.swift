import Foundation
import PaperFeedCore
import PaperFeedIO
import TopicModel

/// `paperfeed similar`: a paper's nearest neighbours in topic space, with titles.
public enum SimilarPipeline {
    public struct Neighbour: Sendable, Codable {
        public var paper: String
        public var title: String
        public var similarity: Float
    }
    public struct Result: Sendable, Codable {
        public var paper: String
        public var title: String
        public var neighbours: [Neighbour]
    }

    /// A paper of the model, or one in the store that arrived after the fit (folded in).
    public static func run(store: Store, model: TopicModel, paper: PaperID, k: Int) throws -> Result {
        let stored = try store.paper(paper)
        let neighbours: [(paper: PaperID, similarity: Float)]
        if model.paperIDs.contains(paper) {
            neighbours = try model.similar(to: paper, k: k)
        } else if let p = stored, !p.text.isEmpty {
            neighbours = try model.similar(to: model.foldIn(texts: [p.text]).row(0), k: k, excluding: [paper])
        } else {
            throw TopicModelError.unknownPaper(paper.rawValue)
        }
        return Result(paper: paper.rawValue, title: stored?.title ?? "", neighbours: try neighbours.map {
            Neighbour(paper: $0.paper.rawValue, title: try store.paper($0.paper)?.title ?? "", similarity: $0.similarity)
        })
    }
}
