import LinearAlgebra

extension FittedTfidf {
    /// scikit-learn's `TfidfVectorizer.transform`: rows for new texts over this model's columns,
    /// with the fitted idf; terms outside the vocabulary are ignored.
    public func transform(_ texts: [String]) -> CSRMatrix {
        let chunks = configuration.tokenizer.countInChunks(texts)
        let lookup = self.lookup
        let parts = parallelMap(chunks.count) { c -> ColumnMappedCounts in
            let chunk = chunks[c]
            var buffer: [UInt8] = []
            var columns = [Int32](repeating: -1, count: chunk.counted.termCount)
            for t in 0..<chunk.counted.termCount {
                chunk.termBytes(t, into: &buffer)
                columns[t] = buffer.withUnsafeBufferPointer { lookup.find($0, hash: ByteStringTable.hash($0)) } ?? -1
            }
            return ColumnMappedCounts(counted: chunk.counted, columnOfTerm: columns)
        }
        return configuration.weightedMatrix(parts, idf: idf)
    }

    /// Rows for bag-of-words documents whose ids index `vocabulary` (terms not in this model
    /// are ignored; the model may have been fitted from text or counts).
    /// - Precondition: every term id is in `0 ..< vocabulary.count`.
    public func transform(counts documents: [TermCounts], vocabulary: [String]) -> CSRMatrix {
        let columns = vocabulary.map { term in lookup.find(term) ?? -1 }
        return transform(documents, columns: columns)
    }

    /// Rows for bag-of-words documents over the vocabulary this model was fitted with by
    /// `fit(counts:vocabulary:)`; throws `.noCountVocabulary` for other models.
    public func transform(counts documents: [TermCounts]) throws(TextFeaturesError) -> CSRMatrix {
        guard let columns = countVocabularyColumns else { throw .noCountVocabulary }
        return transform(documents, columns: columns)
    }

    private func transform(_ documents: [TermCounts], columns: [Int32]) -> CSRMatrix {
        let counted = TfidfConfiguration.count(
            documents, termOfIndex: (0..<Int32(columns.count)).map { $0 }, termCount: columns.count)
        return configuration.weightedMatrix([ColumnMappedCounts(counted: counted, columnOfTerm: columns)], idf: idf)
    }
}
