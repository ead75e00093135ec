import Foundation
import LinearAlgebra
import Testing
import TextFeatures

/// Expected values from scikit-learn 1.9.1 `TfidfVectorizer(stop_words="english", …)` on `docs`.
@Suite struct TfidfTests {
    let docs = ["apple banana", "apple cherry", "apple banana cherry durian", "banana banana"]
    let idfApple = 1.223143551314, idfCherry = 1.510825623766, idfDurian = 1.916290731874

    func vocabulary(_ config: TfidfConfiguration) throws -> [String] {
        let (model, matrix) = config.fit(documents: docs)
        try matrix.validate()
        #expect(matrix.columns == model.vocabulary.count && matrix.rows == docs.count)
        return model.vocabulary
    }

    func dense(_ m: CSRMatrix) -> [[Float]] {
        (0..<m.rows).map { r in
            var row = [Float](repeating: 0, count: m.columns)
            let (c, v) = m.row(r)
            for (j, x) in zip(c, v) { row[Int(j)] = x }
            return row
        }
    }

    func close(_ a: [[Float]], _ b: [[Double]], _ tolerance: Double = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.count == y.count && zip(x, y).allSatisfy { abs(Double($0) - $1) <= tolerance }
        }
    }

    @Test func defaultWeights() throws {
        let (model, matrix) = TfidfConfiguration().fit(documents: docs)
        #expect(model.vocabulary == ["apple", "banana", "cherry", "durian"])
        #expect(model.documentFrequency == [3, 3, 2, 1])
        #expect(zip(model.idf, [idfApple, idfApple, idfCherry, idfDurian]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(close(dense(matrix), [
            [0.707106781, 0.707106781, 0, 0], [0.629227515, 0, 0.777221162, 0],
            [0.408922063, 0.408922063, 0.505100101, 0.640655431], [0, 1, 0, 0],
        ]))
    }

    @Test func sublinearWithoutSmoothing() throws {
        let config = TfidfConfiguration(sublinearTF: true, smoothIDF: false)
        let (model, matrix) = config.fit(documents: docs)
        #expect(abs(model.idf[3] - 2.38629436112) < 1e-11)
        #expect(close(dense(matrix), [
            [0.707106781, 0.707106781, 0, 0], [0.605348508, 0, 0.795960542, 0],
            [0.373635375, 0.373635375, 0.491285617, 0.692410034], [0, 1, 0, 0],
        ]))
    }

    @Test func documentFrequencyBounds() throws {
        #expect(try vocabulary(.init(minDocumentFrequency: .count(2))) == ["apple", "banana", "cherry"])
        #expect(try vocabulary(.init(minDocumentFrequency: .proportion(0.5))) == ["apple", "banana", "cherry"])
        #expect(try vocabulary(.init(maxDocumentFrequency: .proportion(0.5))) == ["cherry", "durian"])
        #expect(try vocabulary(.init(maxDocumentFrequency: .count(2))) == ["cherry", "durian"])
        // 0.74 · 4 = 2.96 drops df 3; 0.75 · 4 = 3 keeps it (a term is dropped when df > max_df · n).
        #expect(try vocabulary(.init(maxDocumentFrequency: .proportion(0.74))) == ["cherry", "durian"])
        #expect(try vocabulary(.init(maxDocumentFrequency: .proportion(0.75))) == ["apple", "banana", "cherry", "durian"])
        #expect(try vocabulary(.init(minDocumentFrequency: .count(2), maxDocumentFrequency: .proportion(0.5))) == ["cherry"])
        #expect(try vocabulary(.init(minDocumentFrequency: .count(4))) == [])
    }

    @Test func maxFeaturesByTotalCountThenBytes() throws {
        // total counts: banana 4, apple 3, cherry 2, durian 1.
        #expect(try vocabulary(.init(maxFeatures: 1)) == ["banana"])
        #expect(try vocabulary(.init(maxFeatures: 2)) == ["apple", "banana"])
        #expect(try vocabulary(.init(maxFeatures: 10)) == ["apple", "banana", "cherry", "durian"])
        // a tie in total count (2 each) is broken by byte order.
        let (tie, _) = TfidfConfiguration(maxFeatures: 2).fit(documents: ["zeta beta alpha", "zeta beta alpha"])
        #expect(tie.vocabulary == ["alpha", "beta"])
    }

    @Test func emptyInputs() throws {
        let (model, matrix) = TfidfConfiguration().fit(documents: ["", "the and of", "42"])
        #expect(model.vocabulary.isEmpty)
        #expect(matrix.rows == 3 && matrix.nonZeroCount == 0)
        try matrix.validate()
        let (none, empty) = TfidfConfiguration().fit(documents: [])
        #expect(none.documentCount == 0 && empty.rows == 0)
    }

    @Test func transformIgnoresUnknownTerms() throws {
        let (model, _) = TfidfConfiguration().fit(documents: docs)
        let m = model.transform(["zebra apple apple kiwi durian", "nothing known"])
        try m.validate()
        #expect(close(dense(m), [[0.787222976, 0, 0, 0.616668457], [0, 0, 0, 0]]))
        // transform of the fitted documents equals fit_transform.
        #expect(model.transform(docs) == TfidfConfiguration().fit(documents: docs).1)
    }

    @Test func fitFromCountsEqualsFitFromText() throws {
        let vocabulary = ["durian", "cherry", "unused", "banana", "apple", "banana"]
        let counts = [
            TermCounts(termIDs: [4, 3], counts: [1, 1]),
            TermCounts(termIDs: [1, 4, 2], counts: [1, 1, 0]),
            TermCounts(termIDs: [0, 1, 5, 4], counts: [1, 1, 1, 1]),
            TermCounts(termIDs: [3, 5], counts: [1, 1]),  // duplicate "banana" strings are summed
        ]
        for config in [TfidfConfiguration(), .init(minDocumentFrequency: .count(2), sublinearTF: true), .init(maxFeatures: 2)] {
            let (fromText, textMatrix) = config.fit(documents: docs)
            let (fromCounts, countMatrix) = config.fit(counts: counts, vocabulary: vocabulary)
            try countMatrix.validate()
            #expect(fromCounts.vocabulary == fromText.vocabulary)
            #expect(fromCounts.idf == fromText.idf)
            #expect(fromCounts.documentFrequency == fromText.documentFrequency)
            #expect(countMatrix == textMatrix)
            #expect(try fromCounts.transform(counts: counts) == textMatrix)
            #expect(fromText.transform(counts: counts, vocabulary: vocabulary) == textMatrix)
        }
        #expect(throws: TextFeaturesError.noCountVocabulary) {
            try TfidfConfiguration().fit(documents: docs).0.transform(counts: counts)
        }
    }

    @Test func rebuildFromSavedParts() throws {
        let config = TfidfConfiguration.referenceV1
        let texts = ["graph neural networks", "graph neural models", "language models", "neural language"]
        let (model, matrix) = config.fit(documents: texts)
        let rebuilt = try FittedTfidf(
            configuration: model.configuration, vocabulary: model.vocabulary, idf: model.idf,
            documentFrequency: model.documentFrequency, documentCount: model.documentCount)
        #expect(rebuilt.transform(texts) == matrix)
        #expect(rebuilt.column(of: "neural networks") == model.column(of: "neural networks"))
        #expect(throws: TextFeaturesError.self) {
            try FittedTfidf(configuration: config, vocabulary: ["a", "a"], idf: [1, 1], documentCount: 1)
        }
        #expect(throws: TextFeaturesError.self) {
            try FittedTfidf(configuration: config, vocabulary: ["a"], idf: [], documentCount: 1)
        }
    }

    @Test func configurationRoundTripsThroughJSON() throws {
        let config = TfidfConfiguration.referenceV1
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(config)
        #expect(try JSONDecoder().decode(TfidfConfiguration.self, from: data) == config)
        #expect(try encoder.encode(config) == data)  // stop words are written sorted
    }

    @Test func configurationValidation() throws {
        try TfidfConfiguration.referenceV1.validate()
        #expect(throws: TextFeaturesError.self) { try TfidfConfiguration(maxDocumentFrequency: .proportion(1.5)).validate() }
        #expect(throws: TextFeaturesError.self) { try TfidfConfiguration(minDocumentFrequency: .count(-1)).validate() }
        #expect(throws: TextFeaturesError.self) { try TfidfConfiguration(maxFeatures: 0).validate() }
    }

    @Test func outputDoesNotDependOnChunking() throws {
        // 2,000 documents are counted in several parallel chunks: the fit is repeatable, and
        // transforming 10 of the documents alone gives exactly their rows of the fit.
        let texts = SyntheticCorpus(seed: 7, documents: 2_000, wordsPerDocument: 40, vocabularySize: 3_000).texts()
        let config = TfidfConfiguration(tokenizer: Tokenizer(ngramRange: 1...2), minDocumentFrequency: .count(2))
        let (a, ma) = config.fit(documents: texts)
        let (b, mb) = config.fit(documents: texts)
        try ma.validate()
        #expect(a.vocabulary == b.vocabulary && ma == mb)
        #expect(a.transform(Array(texts[1_000..<1_010])) == {
            let (_, m) = (a, ma)
            return CSRMatrix(unchecked: 10, columns: m.columns,
                rowPointers: (1_000...1_010).map { m.rowPointers[$0] - m.rowPointers[1_000] },
                columnIndices: Array(m.columnIndices[m.rowPointers[1_000]..<m.rowPointers[1_010]]),
                values: Array(m.values[m.rowPointers[1_000]..<m.rowPointers[1_010]]))
        }())
    }
}
