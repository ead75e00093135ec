import Foundation
import PaperFeedCore

/// Everything the blend ranker can be told, as one JSON document (see `Evaluation/configs/` and
/// README "Ranking"). Every field is optional in the JSON; a missing field takes the default
/// written here, which works on the bundled data.
public struct RankingConfiguration: Sendable, Codable, Equatable {
    /// Weights of the normalized signals. Each signal is z-scored over the candidate set
    /// (content and collaborative per reader, the others over the whole window; the trend after
    /// log1p), so the weights compare and one heavily upvoted paper does not squash the others,
    /// as min–max scaling did; the final score is Σ weight · z(signal) − skip penalty.
    public struct Weights: Sendable, Codable, Equatable {
        public var content = 0.6
        public var trend = 0.2
        public var feedback = 0.1
        public var freshness = 0.1
        /// "Readers like you read this" (see `Collaborative`); off in the hand-set default.
        public var collaborative = 0.0
        public init() {}
        public init(content: Double, trend: Double, feedback: Double, freshness: Double, collaborative: Double = 0) {
            self.content = content
            self.trend = trend
            self.feedback = feedback
            self.freshness = freshness
            self.collaborative = collaborative
        }

        /// The signals a hand-set blend weighs.
        public static let signals: [Signal] = [.content, .collaborative, .trend, .feedback, .freshness]

        public subscript(signal: Signal) -> Double {
            switch signal {
            case .content: content
            case .trend: trend
            case .feedback: feedback
            case .freshness: freshness
            case .collaborative: collaborative
            default: 0
            }
        }

        enum CodingKeys: String, CodingKey { case content, trend, feedback, freshness, collaborative }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            content = try c.decodeIfPresent(Double.self, forKey: .content) ?? 0.6
            trend = try c.decodeIfPresent(Double.self, forKey: .trend) ?? 0.2
            feedback = try c.decodeIfPresent(Double.self, forKey: .feedback) ?? 0.1
            freshness = try c.decodeIfPresent(Double.self, forKey: .freshness) ?? 0.1
            collaborative = try c.decodeIfPresent(Double.self, forKey: .collaborative) ?? 0
        }
    }

    /// The collaborative signal: p̂_u · a_c, the reader's profile against the paper's audience
    /// vector a_c = A_c / (n_c + λ) (the profiles of the readers who read c before as-of, each
    /// without c; `LogReplay`).
    public struct Collaborative: Sendable, Codable, Equatable {
        /// λ: shrinks papers with few readers toward 0.
        public var audienceShrinkage = 3.0
        public init() {}
    }

    /// Content profile (Rocchio): per-kind weights, decayed by the event's age with a half-life.
    ///
    /// Defaults are positive-only (read 1, save and upvote 1.5; skip and unread impression 0).
    /// Rocchio's negative terms hurt here: under the position-based model most impressions
    /// that were not read were never looked at, and with twenty impressions per visit against a
    /// few reads their −0.1 each turned a profile into "minus the average paper the feed shows";
    /// an explicit skip says "not this paper", not "not this topic". On the demo replay, content
    /// alone went from nDCG@10 0.124 (skip −0.5, unread −0.1) to 0.162 (hidden relevance) and
    /// from 0.233 to 0.304 on the logged lists. A skip still demotes the paper itself
    /// (`Feedback.skipPenalty`, and the learned ranker's seen/skipped features).
    public struct Content: Sendable, Codable, Equatable {
        public var read = 1.0
        public var save = 1.5
        public var upvote = 1.5
        /// Negative feedback (Rocchio's γ) per explicit skip; 0 by default (see above).
        public var skip = 0.0
        /// … and per impression that was never read; 0 by default.
        public var unreadImpression = 0.0
        /// Half-life in days of an event's weight: 0.5^(age / halfLife).
        public var halfLifeDays = 30.0
        /// How many history papers to keep per item for "because you read …".
        public var explainTop = 3
        public init() {}
    }

    /// Upvote trend (see `TrendScorer` for the formula).
    public struct Trend: Sendable, Codable, Equatable {
        /// Window over which the recent gain in upvotes is measured.
        public var windowDays = 7.0
        /// Strength of the Gamma–Poisson prior, in days of pseudo-exposure at the mean rate.
        public var priorDays = 2.0
        /// Half-life of the age decay of the smoothed rate.
        public var halfLifeDays = 7.0
        public init() {}
    }

    /// Read-rate feedback across readers (see `FeedbackScorer`).
    public struct Feedback: Sendable, Codable, Equatable {
        /// Strength (a + b) of the Beta prior centred on the global examined read rate.
        public var priorStrength = 10.0
        /// Examination probabilities per position (1-based); when empty they are estimated from
        /// the logged impressions (read rate at p / read rate at 1, clamped to (0, 1]).
        public var examination: [Double] = []
        /// Positions beyond this share the last estimate.
        public var maxPosition = 50
        /// Subtracted from the final score of a paper the reader skipped before.
        public var skipPenalty = 0.3
        public init() {}
    }

    /// Which papers are candidates.
    public struct Candidates: Sendable, Codable, Equatable {
        /// Papers published in (asOf − windowDays, asOf] are candidates. A listing dated day d
        /// (00:00 UTC) is available from the start of d: ranking "as of d" sees the papers of d
        /// (arXiv announces them the evening before) but no event at or after d 00:00.
        public var windowDays = 7.0
        /// Exclude papers the reader read, saved or upvoted (always true in production).
        public var excludeRead = true
        public init() {}
    }

    /// Optional MMR re-ranking over topic embeddings (Carbonell & Goldstein, SIGIR 1998):
    /// repeatedly pick argmax λ·score − (1 − λ)·max cos(item, picked).
    public struct Diversity: Sendable, Codable, Equatable {
        public var enabled = false
        public var lambda = 0.7
        /// MMR looks at this many top items (times k) only.
        public var poolFactor = 3
        public init() {}
    }

    public var weights = Weights()
    /// Weights for a reader with no history (no content signal): trend and freshness.
    public var coldStartWeights = Weights(content: 0, trend: 0.6, feedback: 0.1, freshness: 0.3)
    public var content = Content()
    public var trend = Trend()
    public var feedback = Feedback()
    public var candidates = Candidates()
    public var diversity = Diversity()
    public var collaborative = Collaborative()

    public init() {}

    /// A configuration that uses one signal only (for single-signal baselines): `signal` is one
    /// of `Weights.signals`; any other signal gives all-zero weights (a constant score).
    public static func only(_ signal: Signal) -> RankingConfiguration {
        var c = RankingConfiguration()
        c.weights = Weights(content: 0, trend: 0, feedback: 0, freshness: 0)
        c.coldStartWeights = c.weights
        switch signal {
        case .content: c.weights.content = 1
        case .collaborative: c.weights.collaborative = 1
        case .trend: c.weights.trend = 1; c.coldStartWeights.trend = 1
        case .feedback: c.weights.feedback = 1; c.coldStartWeights.feedback = 1
        case .freshness: c.weights.freshness = 1; c.coldStartWeights.freshness = 1
        default: break
        }
        c.feedback.skipPenalty = 0
        return c
    }

    /// JSON keys are snake_case (`cold_start_weights`, `half_life_days`, …; docs/outputs.md):
    /// this encoder writes them, `decode` reads them.
    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }

    /// Reads a configuration. Missing keys take their defaults; an unknown key is an error
    /// (a typo must not silently do nothing). Keys are snake_case; the camelCase spelling of
    /// earlier files (`halfLifeDays`) is still read. An optional `schema_version` must be 1.
    /// Implementation: the defaults are encoded to a JSON object, the file's object is merged
    /// over it key by key, and the result decoded.
    public static func decode(_ data: Data, source: String) throws -> RankingConfiguration {
        let data = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data  // a UTF-8 BOM is fine
        do {
            let defaults = try JSONSerialization.jsonObject(with: encoder.encode(RankingConfiguration()))
            var given = try JSONSerialization.jsonObject(with: data)
            if var top = given as? [String: Any], let v = top.removeValue(forKey: "schema_version") {
                guard (v as? Int) == 1 else {
                    throw RankingError.badConfiguration(source, reason: "schema_version \(v) is not supported; this build reads 1")
                }
                given = top
            }
            let merged = try merge(given, over: defaults, path: "")
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let c = try decoder.decode(RankingConfiguration.self, from: JSONSerialization.data(withJSONObject: merged))
            if let problem = c.problems().first { throw RankingError.badConfiguration(source, reason: problem) }
            return c
        } catch let e as RankingError {
            throw e
        } catch {
            throw RankingError.badConfiguration(source, reason: "\(error)")
        }
        func merge(_ given: Any, over base: Any, path: String) throws -> Any {
            guard let g = given as? [String: Any], let b = base as? [String: Any] else { return given }
            var out = b
            for (spelled, value) in g {
                let key = snakeCase(spelled)
                guard let old = b[key] else {
                    throw RankingError.badConfiguration(
                        source, reason: "unknown key '\(path)\(key)'; known: \(b.keys.sorted().joined(separator: ", "))")
                }
                out[key] = try merge(value, over: old, path: path + key + ".")
            }
            return out
        }
    }

    /// Upper bounds of `problems()` (see there).
    public enum Limits {
        /// Signal weights, Rocchio weights and the skip penalty: |v| ≤ 1e6 (the score is a sum of
        /// a few weight × [0, 1] terms, so it stays far from Double's range; 1e308 gave `inf`).
        public static let weight = 1e6
        /// Half-lives, windows and prior days: ≤ 36,500 days (100 years); dates are computed from them.
        public static let days = 36_500.0
        /// Beta prior strength ≤ 1e9.
        public static let priorStrength = 1e9
        /// Positions modelled by the examination curve (`feedback.maxPosition`, and the length of
        /// a configured `feedback.examination`): ≤ 1,000 (1e9 allocated 23.6 GB).
        public static let maxPosition = 1_000
        /// `content.explainTop` ≤ 100, `diversity.poolFactor` ≤ 100.
        public static let explainTop = 100
        public static let poolFactor = 100
    }

    /// What is wrong with the values (empty when valid): every number finite; weights in
    /// [0, 1e6]; Rocchio weights and the skip penalty within ±1e6 (penalty ≥ 0); half-lives and
    /// windows in (0, 36500] days, prior days in [0, 36500]; prior strength in [0, 1e9];
    /// examination values in (0, 1], at most 1,000 of them; maxPosition in 1…1000;
    /// explainTop in 0…100; λ in [0, 1]; poolFactor in 1…100 (`Limits`). `decode` rejects a
    /// configuration with any.
    public func problems() -> [String] {
        var out: [String] = []
        func check(_ name: String, _ v: Double, _ ok: (Double) -> Bool, _ rule: String) {
            if !v.isFinite || !ok(v) { out.append("\(name) = \(v) must be \(rule)") }
        }
        let maxWeight = Limits.weight, days = Limits.days
        for (prefix, w) in [("weights", weights), ("coldStartWeights", coldStartWeights)] {
            check(prefix + ".content", w.content, { $0 >= 0 && $0 <= maxWeight }, "in [0, 1e6]")
            check(prefix + ".trend", w.trend, { $0 >= 0 && $0 <= maxWeight }, "in [0, 1e6]")
            check(prefix + ".feedback", w.feedback, { $0 >= 0 && $0 <= maxWeight }, "in [0, 1e6]")
            check(prefix + ".freshness", w.freshness, { $0 >= 0 && $0 <= maxWeight }, "in [0, 1e6]")
            check(prefix + ".collaborative", w.collaborative, { $0 >= 0 && $0 <= maxWeight }, "in [0, 1e6]")
        }
        check("collaborative.audienceShrinkage", collaborative.audienceShrinkage, { $0 >= 0 && $0 <= Limits.priorStrength }, "in [0, 1e9]")
        for (name, v) in [("content.read", content.read), ("content.save", content.save), ("content.upvote", content.upvote),
                          ("content.skip", content.skip), ("content.unreadImpression", content.unreadImpression)] {
            check(name, v, { abs($0) <= maxWeight }, "finite, within ±1e6")
        }
        check("content.halfLifeDays", content.halfLifeDays, { $0 > 0 && $0 <= days }, "in (0, 36500]")
        if !(0...Limits.explainTop).contains(content.explainTop) { out.append("content.explainTop must be in 0…\(Limits.explainTop)") }
        check("trend.windowDays", trend.windowDays, { $0 > 0 && $0 <= days }, "in (0, 36500]")
        check("trend.priorDays", trend.priorDays, { $0 >= 0 && $0 <= days }, "in [0, 36500]")
        check("trend.halfLifeDays", trend.halfLifeDays, { $0 > 0 && $0 <= days }, "in (0, 36500]")
        check("feedback.priorStrength", feedback.priorStrength, { $0 >= 0 && $0 <= Limits.priorStrength }, "in [0, 1e9]")
        if feedback.examination.count > Limits.maxPosition {
            out.append("feedback.examination has \(feedback.examination.count) values, more than \(Limits.maxPosition)")
        }
        for (i, e) in feedback.examination.prefix(Limits.maxPosition).enumerated() {
            check("feedback.examination[\(i)]", e, { $0 > 0 && $0 <= 1 }, "in (0, 1]")
        }
        if !(1...Limits.maxPosition).contains(feedback.maxPosition) { out.append("feedback.maxPosition must be in 1…\(Limits.maxPosition)") }
        check("feedback.skipPenalty", feedback.skipPenalty, { $0 >= 0 && $0 <= maxWeight }, "in [0, 1e6]")
        check("candidates.windowDays", candidates.windowDays, { $0 > 0 && $0 <= days }, "in (0, 36500]")
        check("diversity.lambda", diversity.lambda, { $0 >= 0 && $0 <= 1 }, "in [0, 1]")
        if !(1...Limits.poolFactor).contains(diversity.poolFactor) { out.append("diversity.poolFactor must be in 1…\(Limits.poolFactor)") }
        return out
    }

    /// `halfLifeDays` → `half_life_days` (the encoder's rule); snake_case keys are unchanged.
    public static func snakeCase(_ key: String) -> String {
        var out = ""
        for c in key {
            if c.isUppercase { out += (out.isEmpty ? "" : "_") + c.lowercased() } else { out.append(c) }
        }
        return out
    }

    /// The configuration as pretty JSON with sorted snake_case keys and `schema_version`.
    public func json() -> String {
        let e = RankingConfiguration.encoder
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        struct Versioned: Encodable {
            let c: RankingConfiguration
            enum K: String, CodingKey { case schemaVersion = "schema_version" }
            func encode(to encoder: any Encoder) throws {
                try c.encode(to: encoder)
                var k = encoder.container(keyedBy: K.self)
                try k.encode(1, forKey: .schemaVersion)
            }
        }
        return String(decoding: (try? e.encode(Versioned(c: self))) ?? Data(), as: UTF8.self)
    }
}

