/// Settings of a TF-IDF vectorizer with scikit-learn's `TfidfVectorizer` semantics
/// (scikit-learn 1.9, `sklearn/feature_extraction/text.py`). A plain value: `fit` it to get an
/// immutable `FittedTfidf` and the document × term matrix.
///
/// Weight of term t in document d (one CSR entry):
/// - tf = count(t, d), or 1 + ln count(t, d) when `sublinearTF` (`TfidfTransformer.transform`);
/// - idf = ln((1 + n) / (1 + df(t))) + 1 when `smoothIDF`, else ln(n / df(t)) + 1, with n the
///   number of fitted documents (`TfidfTransformer.fit`); 1 when `useIDF` is false;
/// - w = tf · idf, then every row divided by its Euclidean norm when `normalization == .l2`
///   (`sklearn.preprocessing.normalize`); empty rows stay empty.
public struct TfidfConfiguration: Sendable, Equatable, Codable {
    /// `min_df` / `max_df`: an absolute number of documents (scikit-learn `int`) or a proportion
    /// of the fitted documents (scikit-learn `float`, compared with `proportion · n`).
    public enum DocumentFrequencyBound: Sendable, Equatable, Codable {
        case count(Int)
        case proportion(Double)

        func threshold(documents n: Int) -> Double {
            switch self {
            case .count(let c): Double(c)
            case .proportion(let p): p * Double(n)
            }
        }
    }

    public enum Normalization: String, Sendable, Equatable, Codable {
        case l2
        case none
    }

    public var tokenizer: Tokenizer
    /// Terms in fewer documents are dropped (`min_df`, default `.count(1)`).
    public var minDocumentFrequency: DocumentFrequencyBound
    /// Terms in more documents are dropped (`max_df`, default `.proportion(1.0)`): with
    /// `.proportion(0.5)` a term in more than half of the documents is dropped.
    public var maxDocumentFrequency: DocumentFrequencyBound
    /// Keep only this many terms, those with the largest total count over the corpus, ties by
    /// term byte order (`max_features`); applied after `min_df`/`max_df`.
    public var maxFeatures: Int?
    public var sublinearTF: Bool
    public var useIDF: Bool
    public var smoothIDF: Bool
    public var normalization: Normalization

    public init(
        tokenizer: Tokenizer = Tokenizer(),
        minDocumentFrequency: DocumentFrequencyBound = .count(1),
        maxDocumentFrequency: DocumentFrequencyBound = .proportion(1.0),
        maxFeatures: Int? = nil,
        sublinearTF: Bool = false,
        useIDF: Bool = true,
        smoothIDF: Bool = true,
        normalization: Normalization = .l2
    ) {
        self.tokenizer = tokenizer
        self.minDocumentFrequency = minDocumentFrequency
        self.maxDocumentFrequency = maxDocumentFrequency
        self.maxFeatures = maxFeatures
        self.sublinearTF = sublinearTF
        self.useIDF = useIDF
        self.smoothIDF = smoothIDF
        self.normalization = normalization
    }

    /// The settings of the scikit-learn reference values ("reference v1"): unigrams + bigrams,
    /// English stop words, `min_df=2`, `max_df=0.5`, `sublinear_tf=True`, smooth idf, l2.
    public static var referenceV1: TfidfConfiguration {
        TfidfConfiguration(
            tokenizer: Tokenizer(ngramRange: 1...2), minDocumentFrequency: .count(2),
            maxDocumentFrequency: .proportion(0.5), sublinearTF: true)
    }

    /// Checks the ranges scikit-learn checks: counts ≥ 0, proportions in [0, 1],
    /// `maxFeatures` > 0. (`fit` does not throw: it treats the bounds literally.)
    public func validate() throws(TextFeaturesError) {
        for (name, bound) in [("minDocumentFrequency", minDocumentFrequency), ("maxDocumentFrequency", maxDocumentFrequency)] {
            switch bound {
            case .count(let c) where c < 0:
                throw .invalidConfiguration("\(name) count \(c) is negative")
            case .proportion(let p) where !(0...1).contains(p):
                throw .invalidConfiguration("\(name) proportion \(p) is outside [0, 1]")
            default: break
            }
        }
        if let m = maxFeatures, m <= 0 { throw .invalidConfiguration("maxFeatures \(m) must be positive") }
    }

    /// The idf of a term in `df` of `n` documents (see the type's formulas).
    func inverseDocumentFrequency(df: Int, documents n: Int) -> Double {
        guard useIDF else { return 1 }
        return smoothIDF ? _log(Double(n + 1) / Double(df + 1)) + 1 : _log(Double(n) / Double(df)) + 1
    }
}

#if canImport(Glibc)
    import Glibc
    @inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
#else
    import Foundation
    @inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
#endif
