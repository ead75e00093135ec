import Foundation
import PaperFeedCore

/// A ranker learned from the logged feedback (`RankerLearner.fit`): a linear model over
/// standardized features,
///
///     score(u, c) = Σ_k w_k · (x_k(u, c) − μ_k) / σ_k
///
/// with x_k the `RankerFeature`s computed at the as-of time (each already z-scored over the
/// candidates, `CandidateStats`), μ_k and σ_k their mean and
/// standard deviation over the training impressions (a feature with σ_k = 0 carried no
/// information and has w_k = 0). Each term w_k·(x_k − μ_k)/σ_k is the feature's contribution in
/// a list's breakdown; they add up to the score. The intercept and the position offsets of the
/// training model are recorded but never used for serving: constant over a reader's candidates,
/// they do not change a ranking (see `RankerLearner`).
///
/// Immutable, Codable as the payload of the ranker artifact (`ranker.json` in the model folder,
/// written by the Kit pipeline with its checksum). `formatVersion` changes when the meaning of a
/// field does; a reader refuses other versions.
public struct LearnedRanker: Sendable, Codable, Equatable {
    public static let formatVersion = 1

    /// Feature settings that must be the same when serving as when learning.
    public struct Settings: Sendable, Codable, Equatable {
        public var content: RankingConfiguration.Content
        public var trend: RankingConfiguration.Trend
        /// The feedback feature's Beta prior strength s.
        public var feedbackPriorStrength: Double
        /// e(p) used for the feedback statistics (estimated from the training log).
        public var examination: [Double]
        /// λ of the audience vector a_c = A_c / (n_c + λ).
        public var audienceShrinkage: Double
        /// α of the category shares s_u[g] = (n_ug + α·q_g) / (n_u + α).
        public var categoryPrior: Double
        public var categories: CategoryVocabulary?
        /// Candidate window in days (the feed the ranker was learned on).
        public var candidateWindowDays: Double
    }

    /// What the ranker was learned from.
    public struct Training: Sendable, Codable, Equatable {
        public var asOf: String
        public var firstDay: String
        public var lastDay: String
        public var rows: Int
        public var positives: Int
        public var readers: Int
        /// SHA-256 of the events and upvote observations before as-of, in snapshot order.
        public var dataSha256: String
        /// Regularization strength chosen on the validation days (loss = mean log loss + λ/2·|w|²).
        public var regularization: Double
        public var iterations: Int
        public var positionBuckets: [String]
        /// The training model's position offsets (log-odds relative to position 1), for the record.
        public var positionOffsets: [Double]
        public var intercept: Double
        /// The prior (the hand-set blend's raw weight per feature) and its fitted scale c, when
        /// the learner shrank toward it (`RankerLearner.Configuration.prior`).
        public var prior: [String: Double]? = nil
        public var priorScale: Double? = nil
    }

    /// How the regularization was chosen (see `RankerLearner`): on the last `days` logged days
    /// before as-of, by the mean log loss of their impressions under each λ's model fitted on
    /// the earlier days (with its position offsets).
    public struct Validation: Sendable, Codable, Equatable {
        public struct Candidate: Sendable, Codable, Equatable {
            public var regularization: Double
            /// Mean log loss of the validation impressions (lower is better; the criterion).
            public var logLoss: Double
            /// nDCG@10 of the validation days' logged lists re-ranked by the model (no position)
            /// and judged by their logged reads. For the record only: biased toward the logging
            /// policy's order.
            public var ndcg10: Double
        }
        public var days: Int
        public var firstDay: String?
        /// Judged logged lists (with a read) and impressions in the validation days.
        public var lists: Int
        public var rows: Int
        public var candidates: [Candidate]
        /// Validation log loss of a model with one feature only (plus position offsets and
        /// intercept, at the chosen λ), per feature; and of position offsets and intercept alone.
        public var singleFeatureLogLoss: [String: Double]
        public var positionOnlyLogLoss: Double
        /// Set when the validation window held too few lists to choose: the default λ was used.
        public var note: String?
    }

    public var formatVersion = LearnedRanker.formatVersion
    /// The topic model whose space the content and audience features live in (corpus checksum,
    /// creation time, dimensions): a ranker is used only with that model.
    public var topicModel: String
    public var features: [RankerFeature]
    public var mean: [Double]
    public var scale: [Double]
    public var weights: [Double]
    public var settings: Settings
    public var training: Training
    public var validation: Validation

    /// The weight of one feature per unit of the raw feature (w/σ; 0 when unused).
    public func rawWeight(_ f: RankerFeature) -> Double {
        guard let k = features.firstIndex(of: f), scale[k] > 0 else { return 0 }
        return weights[k] / scale[k]
    }

    /// The constant −w·μ/σ of one feature's contribution.
    public func offset(_ f: RankerFeature) -> Double {
        guard let k = features.firstIndex(of: f), scale[k] > 0 else { return 0 }
        return -weights[k] * mean[k] / scale[k]
    }

    /// Score of a raw feature vector (in `features` order).
    public func score(_ x: [Double]) -> Double {
        var s = 0.0
        for k in features.indices where scale[k] > 0 { s += weights[k] * (x[k] - mean[k]) / scale[k] }
        return s
    }

    /// What is wrong with a decoded ranker (empty when usable): the version, the shapes, every
    /// number finite, scales ≥ 0, settings in range.
    public func problems() -> [String] {
        var out: [String] = []
        if formatVersion != Self.formatVersion {
            out.append("format version \(formatVersion); this build reads version \(Self.formatVersion): run paperfeed learn again")
        }
        let n = features.count
        if mean.count != n || scale.count != n || weights.count != n {
            out.append("\(n) features but \(mean.count) means, \(scale.count) scales, \(weights.count) weights")
        }
        if Set(features).count != n { out.append("a feature is listed twice") }
        for (name, v) in [("mean", mean), ("scale", scale), ("weights", weights)] where !v.allSatisfy(\.isFinite) {
            out.append("\(name) has a value that is not finite")
        }
        if scale.contains(where: { $0 < 0 }) { out.append("a scale is negative") }
        // Weights so large that scores overflow Float are a broken fit, not a ranker.
        if weights.contains(where: { abs($0) > 1e6 }) { out.append("a weight is larger than 1e6 in magnitude") }
        let s = settings
        if !(s.audienceShrinkage >= 0 && s.audienceShrinkage.isFinite) { out.append("settings.audienceShrinkage must be ≥ 0") }
        if !(s.categoryPrior >= 0 && s.categoryPrior.isFinite) { out.append("settings.categoryPrior must be ≥ 0") }
        if !(s.feedbackPriorStrength >= 0 && s.feedbackPriorStrength.isFinite) { out.append("settings.feedbackPriorStrength must be ≥ 0") }
        if !(s.candidateWindowDays > 0 && s.candidateWindowDays.isFinite) { out.append("settings.candidateWindowDays must be > 0") }
        if s.examination.isEmpty || s.examination.count > 10_000 || !s.examination.allSatisfy({ $0 > 0 && $0 <= 1 }) {
            out.append("settings.examination must hold 1 to 10000 values in (0, 1]")
        }
        if !(s.content.halfLifeDays > 0 && s.content.halfLifeDays.isFinite) { out.append("settings.content.halfLifeDays must be > 0") }
        if !(s.trend.halfLifeDays > 0 && s.trend.halfLifeDays.isFinite) { out.append("settings.trend.halfLifeDays must be > 0") }
        if let v = s.categories, v.count == 0 || v.count > 256 { out.append("settings.categories must hold 1 to 256 names") }
        return out
    }

    /// A ranker that ranks by one feature alone (higher first; for seen and skipped, lower first):
    /// the single-feature baselines, with exactly the features the learned ranker uses.
    public static func single(_ feature: RankerFeature, snapshot: RankingSnapshot, ranking: RankingConfiguration) -> LearnedRanker {
        var configuration = RankerLearner.Configuration()
        configuration.features = [feature]
        let log = EventLog(events: snapshot.events)
        let settings = RankerLearner.settings(log: log, snapshot: snapshot, ranking: ranking, configuration: configuration)
        let sign = feature == .seen || feature == .skipped ? -1.0 : 1.0
        return LearnedRanker(
            topicModel: "single-feature", features: [feature], mean: [0], scale: [1], weights: [sign], settings: settings,
            training: .init(asOf: Timestamp.format(snapshot.asOf), firstDay: "", lastDay: "", rows: 0, positives: 0, readers: 0,
                            dataSha256: "", regularization: 0, iterations: 0, positionBuckets: [], positionOffsets: [], intercept: 0),
            validation: .init(days: 0, firstDay: nil, lists: 0, rows: 0, candidates: [], singleFeatureLogLoss: [:],
                              positionOnlyLogLoss: 0, note: "single feature \(feature.rawValue), not learned"))
    }
}
