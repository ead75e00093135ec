import Foundation
import PaperFeedCore
import PaperFeedIO
import Ranking
import TopicModel

/// `paperfeed learn`: fits the learned ranker (`RankerLearner`) on the store's logged
/// impressions before as-of and writes it into the model folder (`RankerFile`, atomically).
public enum LearnPipeline {
    public struct Options: Sendable {
        public var asOf: Date
        public var learner = RankerLearner.Configuration()
        /// Profile, trend and feedback settings the features use (and the candidate window).
        public var ranking = RankingConfiguration()
        /// Where to write; default `MODEL/ranker.json`.
        public var output: String? = nil
        public init(asOf: Date) { self.asOf = asOf }
    }

    public struct Summary: Sendable, Codable {
        public var ranker: String
        public var asOf: String
        public var rows: Int
        public var positives: Int
        public var readers: Int
        public var firstDay: String
        public var lastDay: String
        public var regularization: Double
        /// Per feature: weight of the standardized feature, and per unit of the raw feature.
        public var weights: [String: Double]
        public var rawWeights: [String: Double]
        public var validation: LearnedRanker.Validation
        public var seconds: Double
    }

    /// The identity a ranker records of its topic model (and is checked against when used).
    public static func identity(_ model: TopicModel) -> String {
        "\(model.corpusSHA256)|\(model.createdAt)|\(model.dimensions)"
    }

    public static func run(store: Store, model: TopicModel, modelDirectory: String, options o: Options, progress: Progress) throws -> Summary {
        let t0 = ModelPipeline.now()
        let (space, folded) = try ModelPipeline.space(model: model, store: store)
        if folded > 0 { progress("folded \(folded) new papers into the topic space") }
        let snapshot = try RankingSnapshot.load(store: store, asOf: o.asOf)
        progress("learning from \(snapshot.events.count) events before \(Timestamp.format(o.asOf))")
        let ranker = try RankerLearner(configuration: o.learner).fit(snapshot: snapshot, space: space, ranking: o.ranking,
                                                                     topicModel: identity(model))
        let path = o.output ?? modelDirectory + "/" + RankerFile.fileName
        try RankerFile.write(payload: encode(ranker), to: path)
        var weights: [String: Double] = [:], raw: [String: Double] = [:]
        for (k, f) in ranker.features.enumerated() {
            weights[f.rawValue] = ranker.weights[k]
            raw[f.rawValue] = ranker.rawWeight(f)
        }
        let t = ranker.training
        return Summary(ranker: path, asOf: t.asOf, rows: t.rows, positives: t.positives, readers: t.readers, firstDay: t.firstDay,
                       lastDay: t.lastDay, regularization: t.regularization, weights: weights, rawWeights: raw,
                       validation: ranker.validation, seconds: ModelPipeline.now() - t0)
    }

    /// The ranker as the artifact's payload: JSON, snake_case keys, sorted, pretty (same value, same bytes).
    public static func encode(_ ranker: LearnedRanker) throws -> Data {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try e.encode(ranker) + Data("\n".utf8)
    }

    /// Reads and checks a ranker file, and that it belongs to `model`.
    public static func load(path: String, model: TopicModel) throws -> LearnedRanker {
        let payload = try RankerFile.read(path: path)
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        let ranker: LearnedRanker
        do { ranker = try d.decode(LearnedRanker.self, from: payload) } catch {
            throw RankingError.badRanker(path, reason: "payload does not decode (\(error))")
        }
        if let p = ranker.problems().first { throw RankingError.badRanker(path, reason: p) }
        guard ranker.topicModel == identity(model) else {
            throw RankingError.badRanker(path, reason: "learned on another topic model (\(ranker.topicModel.prefix(16))…), not this one (\(identity(model).prefix(16))…)")
        }
        return ranker
    }
}
