import Testing
import TextFeatures

@Suite struct TokenizerTests {
    let unigrams = Tokenizer()
    let bigrams = Tokenizer(ngramRange: 1...2)

    @Test func nonASCIIBytesSeparateTokens() {
        #expect(unigrams.terms(in: "Naïve Bayes") == ["na", "ve", "bayes"])
        #expect(unigrams.terms(in: "ÉCOLE Zürich") == ["cole", "rich"])
        #expect(unigrams.terms(in: "α-helix → β–sheet") == ["helix", "sheet"])
    }

    @Test func lengthLetterAndDigitRules() {
        // digits-only dropped, letter+digit kept, single characters dropped.
        #expect(unigrams.terms(in: "x1 42 a 3D B2B 2024 e.g. COVID-19") == ["x1", "3d", "b2b", "covid"])
        #expect(unigrams.terms(in: "") == [])
        #expect(unigrams.terms(in: "  ...  ") == [])
        #expect(unigrams.terms(in: "endswithword") == ["endswithword"])
    }

    @Test func stopWordsAreDroppedBeforeBigrams() {
        #expect(unigrams.terms(in: "The model IS the best") == ["model", "best"])
        #expect(bigrams.terms(in: "deep the learning models") == ["deep", "learning", "models", "deep learning", "learning models"])
        #expect(bigrams.terms(in: "State-of-the-art") == ["state", "art", "state art"])
        #expect(Tokenizer(ngramRange: 2...2).terms(in: "graph neural network") == ["graph neural", "neural network"])
    }

    @Test func customStopWords() {
        let t = Tokenizer(stopWords: ["graph"])
        #expect(t.terms(in: "the graph of a network") == ["the", "of", "network"])
        #expect(Tokenizer.englishStopWords.count == 318)
        #expect(Tokenizer.englishStopWords.contains("the"))
    }

    @Test func fittedVocabularyMatchesTerms() {
        let text = "Graph Neural Networks for naïve graph networks, graph neural 2x speed"
        let config = TfidfConfiguration(tokenizer: bigrams)
        let (model, _) = config.fit(documents: [text])
        #expect(model.vocabulary == Set(bigrams.terms(in: text)).sorted())
    }
}
