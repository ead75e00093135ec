import LinearAlgebra

/// Entry point for `make bench`: times tokenize + count + TF-IDF (`fit(documents:)`) once.
public enum TextFeaturesBenchmark {
    /// The benchmark setting: unigrams, English stop words, `min_df=2`, `max_df=0.5`,
    /// sublinear tf, smooth idf, l2.
    public static var configuration: TfidfConfiguration {
        TfidfConfiguration(
            tokenizer: Tokenizer(ngramRange: 1...1), minDocumentFrequency: .count(2),
            maxDocumentFrequency: .proportion(0.5), sublinearTF: true)
    }

    /// Fits `texts` and returns the wall-clock seconds, the number of terms (columns) and the
    /// number of non-zero weights.
    public static func run(
        texts: [String], configuration: TfidfConfiguration = TextFeaturesBenchmark.configuration
    ) -> (seconds: Double, terms: Int, nnz: Int) {
        _ = Tokenizer.englishStopWords  // load the bundled list outside the timed region
        let clock = ContinuousClock()
        var result: (FittedTfidf, CSRMatrix)?
        let elapsed = clock.measure { result = configuration.fit(documents: texts) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (seconds, result!.0.vocabulary.count, result!.1.nonZeroCount)
    }
}
