import TextFeatures

/// Settings of a topic-model fit: the TF-IDF analyzer and the truncated SVD.
///
/// Defaults: unigrams, `min_df = 2`, `max_df = 0.5`, sublinear tf, smooth idf, l2 rows (the
/// "reference v1" analyzer of scikit-learn's settings, see TextFeatures), 128 dimensions,
/// randomized SVD with `RandomizedSVD`'s defaults, seed 42.
public struct TopicModelConfiguration: Sendable, Equatable {
    public var dimensions = 128
    public var minDocumentFrequency = 2
    /// Proportion of documents: a term in more than this share of the documents is dropped.
    public var maxDocumentFrequency = 0.5
    /// 1 = unigrams, 2 = unigrams and bigrams.
    public var ngrams = 1
    public var maxFeatures: Int? = nil
    public var sublinearTF = true
    public var seed: UInt64 = 42
    /// SVD oversampling and power iterations; nil = `RandomizedSVD`'s documented defaults.
    public var oversampling: Int? = nil
    public var powerIterations: Int? = nil

    public init() {}

    /// Largest `dimensions` accepted (LSA uses 100–300; beyond a few thousand the SVD is an exact
    /// dense one and runs for minutes).
    public static let maxDimensions = 4096
    /// Largest SVD `oversampling` and `powerIterations` accepted.
    public static let maxOversampling = 4096
    public static let maxPowerIterations = 50

    /// What is wrong with the values (empty when valid): `dimensions` in 1…4096, `ngrams` 1 or 2,
    /// `minDocumentFrequency` ≥ 0, `maxDocumentFrequency` in (0, 1], `maxFeatures` ≥ 1,
    /// `oversampling` in 0…4096, `powerIterations` in 0…50. The bound that needs the corpus
    /// (dims ≤ documents and terms) is checked by `TopicModel.fit`.
    public func problems() -> [String] {
        var out: [String] = []
        if !(1...TopicModelConfiguration.maxDimensions).contains(dimensions) {
            out.append("dims = \(dimensions) must be in 1…\(TopicModelConfiguration.maxDimensions)")
        }
        if !(1...2).contains(ngrams) { out.append("ngrams = \(ngrams) must be 1 or 2") }
        if minDocumentFrequency < 0 { out.append("min_df = \(minDocumentFrequency) must be ≥ 0") }
        if !(maxDocumentFrequency > 0 && maxDocumentFrequency <= 1) { out.append("max_df = \(maxDocumentFrequency) must be in (0, 1]") }
        if let m = maxFeatures, m < 1 { out.append("max_features = \(m) must be ≥ 1") }
        if let o = oversampling, !(0...TopicModelConfiguration.maxOversampling).contains(o) {
            out.append("oversampling = \(o) must be in 0…\(TopicModelConfiguration.maxOversampling)")
        }
        if let q = powerIterations, !(0...TopicModelConfiguration.maxPowerIterations).contains(q) {
            out.append("power_iterations = \(q) must be in 0…\(TopicModelConfiguration.maxPowerIterations)")
        }
        return out
    }

    public var tfidf: TfidfConfiguration {
        TfidfConfiguration(
            tokenizer: Tokenizer(ngramRange: 1...max(1, ngrams)), minDocumentFrequency: .count(minDocumentFrequency),
            maxDocumentFrequency: .proportion(maxDocumentFrequency), maxFeatures: maxFeatures, sublinearTF: sublinearTF)
    }

    /// The manifest's parameter table (strings, sorted keys when written).
    public var parameters: [String: String] {
        var p: [String: String] = [
            "dims": String(dimensions), "min_df": String(minDocumentFrequency), "max_df": String(maxDocumentFrequency),
            "ngrams": String(ngrams), "sublinear_tf": String(sublinearTF), "smooth_idf": "true", "norm": "l2",
            "analyzer": "reference-v1", "stop_words": "english", "seed": String(seed),
        ]
        if let m = maxFeatures { p["max_features"] = String(m) }
        if let o = oversampling { p["oversampling"] = String(o) }
        if let q = powerIterations { p["power_iterations"] = String(q) }
        return p
    }

    /// Rebuilds the configuration from a manifest's parameters; throws on a missing or bad value,
    /// including one outside the bounds of `problems()` (`ngrams` 99 used to reach a
    /// precondition of `Tokenizer`).
    public init(parameters p: [String: String]) throws {
        func int(_ key: String) throws -> Int {
            guard let s = p[key], let v = Int(s) else { throw TopicModelError.badModel("parameter \(key) is missing or not an integer") }
            return v
        }
        dimensions = try int("dims")
        minDocumentFrequency = try int("min_df")
        guard let maxDF = p["max_df"].flatMap(Double.init) else { throw TopicModelError.badModel("parameter max_df is missing") }
        maxDocumentFrequency = maxDF
        ngrams = try int("ngrams")
        sublinearTF = p["sublinear_tf"] == "true"
        seed = UInt64(p["seed"] ?? "") ?? 0
        maxFeatures = p["max_features"].flatMap(Int.init)
        oversampling = p["oversampling"].flatMap(Int.init)
        powerIterations = p["power_iterations"].flatMap(Int.init)
        if let problem = problems().first { throw TopicModelError.badModel("parameter \(problem)") }
    }
}

/// Every error of the TopicModel module; messages say what to do.
public enum TopicModelError: Error, Equatable, CustomStringConvertible {
    case emptyCorpus
    case tooFewTerms(Int)
    case badModel(String)
    case unknownPaper(String)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .emptyCorpus: return "no documents with text to fit; ingest papers first"
        case .tooFewTerms(let n): return "only \(n) terms survive min_df/max_df; lower --min-df or raise --max-df"
        case .badModel(let why): return "model files are inconsistent: \(why); refit the model"
        case .unknownPaper(let id): return "paper \(id) is not in the model; refit, or fold it in"
        case .invalidConfiguration(let why): return "cannot fit: \(why)"
        }
    }
}
