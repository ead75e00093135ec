/// A fitted TF-IDF model: the configuration, the vocabulary (column `j` is `vocabulary[j]`,
/// sorted by term bytes after `fit`), the idf per column and the document statistics.
/// Immutable; `transform` turns new texts or term counts into rows over the same columns.
public struct FittedTfidf: Sendable {
    public let configuration: TfidfConfiguration
    public let vocabulary: [String]
    /// idf per column (see `TfidfConfiguration` for the formula), computed in `Double`.
    public let idf: [Double]
    /// In how many fitted documents each column's term occurs; empty when rebuilt without it.
    public let documentFrequency: [Int]
    /// Number of documents the model was fitted on.
    public let documentCount: Int

    /// Term bytes → column.
    let lookup: ByteStringTable
    /// After `fit(counts:vocabulary:)`: the column of each index of that vocabulary.
    let countVocabularyColumns: [Int32]?

    /// Rebuilds a model from saved parts (e.g. a model file). The vocabulary may be in any order
    /// (its order is the column order) but must not repeat a term; `idf` and (when not empty)
    /// `documentFrequency` must have one entry per term.
    public init(
        configuration: TfidfConfiguration, vocabulary: [String], idf: [Double],
        documentFrequency: [Int] = [], documentCount: Int
    ) throws(TextFeaturesError) {
        guard idf.count == vocabulary.count else {
            throw .inconsistentModel("\(vocabulary.count) terms but \(idf.count) idf values")
        }
        guard documentFrequency.isEmpty || documentFrequency.count == vocabulary.count else {
            throw .inconsistentModel("\(vocabulary.count) terms but \(documentFrequency.count) document frequencies")
        }
        guard idf.allSatisfy(\.isFinite) else { throw .inconsistentModel("an idf value is not finite") }
        var table = ByteStringTable(minimumCapacity: vocabulary.count)
        for term in vocabulary where !table.insert(term).inserted {
            throw .inconsistentModel("term \"\(term)\" occurs twice in the vocabulary")
        }
        self.init(
            configuration: configuration, vocabulary: vocabulary, idf: idf, documentFrequency: documentFrequency,
            documentCount: documentCount, lookup: table, countVocabularyColumns: nil)
    }

    init(
        configuration: TfidfConfiguration, vocabulary: [String], idf: [Double], documentFrequency: [Int],
        documentCount: Int, lookup: ByteStringTable, countVocabularyColumns: [Int32]?
    ) {
        self.configuration = configuration
        self.vocabulary = vocabulary
        self.idf = idf
        self.documentFrequency = documentFrequency
        self.documentCount = documentCount
        self.lookup = lookup
        self.countVocabularyColumns = countVocabularyColumns
    }

    func withCountVocabularyColumns(_ columns: [Int32]) -> FittedTfidf {
        FittedTfidf(
            configuration: configuration, vocabulary: vocabulary, idf: idf, documentFrequency: documentFrequency,
            documentCount: documentCount, lookup: lookup, countVocabularyColumns: columns)
    }

    /// The column of `term`, if it is in the vocabulary.
    public func column(of term: String) -> Int? {
        lookup.find(term).map(Int.init)
    }
}
