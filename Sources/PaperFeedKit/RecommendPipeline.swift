import Foundation
import PaperFeedCore
import PaperFeedIO
import Ranking
import TopicModel

/// `paperfeed recommend`: one reader's list with its breakdown and explanations.
public enum RecommendPipeline {
    public struct Output: Sendable, Codable {
        public struct Because: Sendable, Codable {
            public var paper: String
            public var title: String
            public var contribution: Double
        }
        public struct Item: Sendable, Codable {
            public var rank: Int
            public var paper: String
            public var title: String
            public var published: String?
            public var score: Double
            public var signals: [String: Double]
            public var because: [Because]?
        }
        public var user: String
        public var asOf: String
        public var coldStart: Bool
        public var candidates: Int
        public var history: Int
        public var items: [Item]
    }

    public static func run(store: Store, model: TopicModel, user: UserID, k: Int, asOf: Date, configuration: RankingConfiguration,
                           learned: LearnedRanker? = nil, explain: Bool, seedPapers: [PaperID] = [], seedText: String? = nil) throws -> Output {
        let (space, _) = try ModelPipeline.space(model: model, store: store)
        let snapshot = try RankingSnapshot.load(store: store, asOf: asOf)
        var seeds: [UserID: [Float]] = [:]
        if !seedPapers.isEmpty || seedText != nil {
            var v = [Float](repeating: 0, count: space.dimensions)
            for p in seedPapers {
                guard let e = space.vector(p) else { throw RankingError.unknownPaper(p.rawValue) }
                for (j, x) in e.enumerated() { v[j] += x }
            }
            if let text = seedText {
                let folded = try model.foldIn(texts: [text])
                for j in 0..<v.count { v[j] += folded.values[j] }
            }
            seeds[user] = v
        }
        let ranker = try BlendRanker(configuration: configuration, space: space, snapshot: snapshot, seeds: seeds, learned: learned)
        let rec = try ranker.recommend(user: user, k: k, explain: explain)
        let history = snapshot.events.filter { $0.user == user }.count
        var titles: [PaperID: Paper] = [:]
        func paper(_ id: PaperID) throws -> Paper? {
            if let p = titles[id] { return p }
            let p = try store.paper(id)
            titles[id] = p
            return p
        }
        var items: [Output.Item] = []
        for (i, item) in rec.list.items.enumerated() {
            let p = try paper(item.paper)
            let because = try rec.because[item.paper]?.map {
                Output.Because(paper: $0.paper.rawValue, title: try paper($0.paper)?.title ?? "", contribution: $0.contribution)
            }
            items.append(Output.Item(rank: i + 1, paper: item.paper.rawValue, title: p?.title ?? "",
                                     published: p?.publishedAt.map(Timestamp.formatDay), score: item.score, signals: item.signals.dictionary,
                                     because: explain ? (because ?? []) : nil))
        }
        return Output(user: user.rawValue, asOf: Timestamp.format(asOf), coldStart: rec.coldStart, candidates: rec.candidates,
                      history: history, items: items)
    }
}
