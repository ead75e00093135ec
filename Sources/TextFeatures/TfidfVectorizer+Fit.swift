import LinearAlgebra

/// Per-document bag of words: `counts[k]` occurrences of vocabulary index `termIDs[k]`
/// (e.g. one line of an LDA-C file). Repeated ids are summed; counts ≤ 0 are ignored.
public struct TermCounts: Sendable, Equatable {
    public var termIDs: [Int32]
    public var counts: [Int32]

    /// - Precondition: `termIDs.count == counts.count`.
    public init(termIDs: [Int32], counts: [Int32]) {
        precondition(termIDs.count == counts.count, "TermCounts: \(termIDs.count) ids but \(counts.count) counts")
        self.termIDs = termIDs
        self.counts = counts
    }
}

extension TfidfConfiguration {
    /// scikit-learn's `TfidfVectorizer.fit_transform`: tokenizes and counts the documents
    /// (in parallel chunks), keeps the terms allowed by `min_df`/`max_df`/`max_features`, sorts
    /// them by bytes into columns, and weights every document. Returns the fitted model and the
    /// documents × terms matrix (row i = `documents[i]`).
    public func fit(documents: [String]) -> (FittedTfidf, CSRMatrix) {
        let chunks = tokenizer.countInChunks(documents)
        return fit(MergedVocabulary(chunks), parts: chunks.map(\.counted), documents: documents.count)
    }

    /// The same pipeline for bag-of-words input without text: `documents[d]` counts terms of
    /// `vocabulary` by index. The kept terms are re-numbered as sorted columns; the tokenizer is
    /// not used. Terms that occur in no document are dropped, as text fitting never sees them.
    /// - Precondition: every term id is in `0 ..< vocabulary.count`.
    public func fit(counts documents: [TermCounts], vocabulary: [String]) -> (FittedTfidf, CSRMatrix) {
        // Duplicate strings in `vocabulary` become one term before counting, so a document
        // naming both counts the term once in df.
        var terms = ByteStringTable(minimumCapacity: vocabulary.count)
        let termOfIndex = vocabulary.map { terms.insert($0).id }
        let counted = Self.count(documents, termOfIndex: termOfIndex, termCount: terms.count)
        let merged = MergedVocabulary(terms: terms, counted: counted)
        let (model, matrix) = fit(merged, parts: [counted], documents: documents.count)
        let columns = termOfIndex.map { model.lookup.find(terms.string(Int($0))) ?? -1 }
        return (model.withCountVocabularyColumns(columns), matrix)
    }

    private func fit(
        _ merged: MergedVocabulary, parts: [CountedDocuments], documents n: Int
    ) -> (FittedTfidf, CSRMatrix) {
        let kept = merged.selectColumns(documents: n, configuration: self)
        var columnOfGlobal = [Int32](repeating: -1, count: merged.terms.count)
        var lookup = ByteStringTable(minimumCapacity: kept.count)
        var vocabulary: [String] = [], idf: [Double] = [], df: [Int] = []
        vocabulary.reserveCapacity(kept.count)
        for (column, id) in kept.enumerated() {
            columnOfGlobal[Int(id)] = Int32(column)
            let term = Int(id)
            merged.terms.withKey(term) {
                lookup.insert($0, hash: merged.terms.hashValue(of: term))
                vocabulary.append(String(decoding: $0, as: UTF8.self))
            }
            df.append(merged.documentFrequency[term])
            idf.append(inverseDocumentFrequency(df: merged.documentFrequency[term], documents: n))
        }
        let mapped = zip(parts, merged.localToGlobal).map { counted, toGlobal in
            ColumnMappedCounts(counted: counted, columnOfTerm: toGlobal.map { $0 >= 0 ? columnOfGlobal[Int($0)] : -1 })
        }
        let matrix = weightedMatrix(mapped, idf: idf)
        let model = FittedTfidf(
            configuration: self, vocabulary: vocabulary, idf: idf, documentFrequency: df, documentCount: n,
            lookup: lookup, countVocabularyColumns: nil)
        return (model, matrix)
    }

    /// Counts bag-of-words documents; vocabulary index i is counted as local term
    /// `termOfIndex[i]` (in `0 ..< termCount`).
    static func count(_ documents: [TermCounts], termOfIndex: [Int32], termCount: Int) -> CountedDocuments {
        var builder = CountedDocuments.Builder()
        for _ in 0..<termCount { _ = builder.newTerm() }
        for document in documents {
            for (id, c) in zip(document.termIDs, document.counts) where c > 0 {
                precondition(id >= 0 && Int(id) < termOfIndex.count, "term id \(id) outside 0..<\(termOfIndex.count)")
                builder.add(termOfIndex[Int(id)], count: c)
            }
            builder.endDocument()
        }
        return builder.result
    }
}
