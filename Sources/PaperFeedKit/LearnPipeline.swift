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
        /// Write the ranker to this file instead of attaching it to the model version.
        public var output: String? = nil
        public init(asOf: Date) { self.asOf = asOf }
    }

    public struct Summary: Sendable, Codable {
        /// Where the ranker went: `MODEL/VERSION/ranker.json` (attached), or the `--out` file.
        public var ranker: String
        /// The model version the ranker is attached to (nil with `--out`).
        public var modelVersion: String?
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

    /// Learns on the current version of the model folder `modelDirectory` and attaches the
    /// ranker to it (`ModelFiles.attach`, a new version that is that one plus `ranker.json`; refused
    /// if another `fit` made a newer version meanwhile), or writes it to `options.output`.
    public static func run(store: Store, modelDirectory: String, options o: Options, progress: Progress) throws -> Summary {
        let t0 = ModelPipeline.now()
        let version = try ModelFiles.currentVersion(of: modelDirectory)
        let model = try ModelPipeline.load(version: version)
        let (space, folded) = try ModelPipeline.space(model: model, store: store)
        if folded > 0 { progress("folded \(folded) new papers into the topic space") }
        let snapshot = try RankingSnapshot.load(store: store, asOf: o.asOf)
        progress("learning from \(snapshot.events.count) events before \(Timestamp.format(o.asOf))")
        let ranker = try RankerLearner(configuration: o.learner).fit(snapshot: snapshot, space: space, ranking: o.ranking,
                                                                     topicModel: identity(model))
        let bytes = try RankerFile.data(payload: encode(ranker))
        var path: String
        var attachedTo: String? = nil
        if let out = o.output {
            try AtomicFile.write(bytes, to: out)
            path = out
        } else {
            let attached = try ModelFiles.attach([RankerFile.fileName: bytes], to: modelDirectory, expecting: version)
            path = attached.file(RankerFile.fileName)
            attachedTo = attached.name
        }
        var weights: [String: Double] = [:], raw: [String: Double] = [:]
        for (k, f) in ranker.features.enumerated() {
            weights[f.rawValue] = ranker.weights[k]
            raw[f.rawValue] = ranker.rawWeight(f)
        }
        let t = ranker.training
        return Summary(ranker: path, modelVersion: attachedTo, asOf: t.asOf, rows: t.rows, positives: t.positives, readers: t.readers, firstDay: t.firstDay,
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
        try decode(RankerFile.read(path: path), source: path, model: model)
    }

    /// The ranker attached to a model version, or nil when it has none.
    public static func attached(to version: ModelVersion, model: TopicModel) throws -> LearnedRanker? {
        guard let data = try ModelFiles.attachment(RankerFile.fileName, of: version) else { return nil }
        let source = version.file(RankerFile.fileName)
        return try decode(RankerFile.payload(of: data, path: source), source: source, model: model)
    }

    static func decode(_ payload: Data, source path: String, model: TopicModel) throws -> LearnedRanker {
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

/// Which ranker `recommend` and `rerank` use (`--ranker`).
public enum RankerChoice: Sendable, Equatable {
    /// The learned ranker attached to the model's current version, else the hand-set blend.
    case auto
    /// The hand-set blend of the ranking configuration.
    case handSet
    /// The learned ranker in this file (`paperfeed learn --out`).
    case file(String)

    /// `auto`, `none`, or a file path.
    public init(argument: String) {
        switch argument {
        case "auto": self = .auto
        case "none": self = .handSet
        default: self = .file(argument)
        }
    }
}

extension ModelPipeline {
    /// The topic model of the model folder's current version and the ranker `choice` names,
    /// both read from that one resolved version (a `fit` or `learn` landing meanwhile cannot pair
    /// a model with another version's ranker).
    public static func loadWithRanker(_ directory: String, choice: RankerChoice) throws -> (model: TopicModel, ranker: LearnedRanker?) {
        let version = try ModelFiles.currentVersion(of: directory)
        let model = try load(version: version)
        switch choice {
        case .handSet: return (model, nil)
        case .auto: return (model, try LearnPipeline.attached(to: version, model: model))
        case .file(let path): return (model, try LearnPipeline.load(path: path, model: model))
        }
    }
}
