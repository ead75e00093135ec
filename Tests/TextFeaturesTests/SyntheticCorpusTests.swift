import Foundation
import LinearAlgebra
import Testing
import TextFeatures

@Suite struct SyntheticCorpusTests {
    @Test func sameSeedSameTexts() {
        let a = SyntheticCorpus(seed: 42, documents: 300, vocabularySize: 5_000)
        let b = SyntheticCorpus(seed: 42, documents: 300, vocabularySize: 5_000)
        let c = SyntheticCorpus(seed: 43, documents: 300, vocabularySize: 5_000)
        let texts = a.texts()
        #expect(texts.count == 300)
        #expect(texts == b.texts())
        #expect(texts != c.texts())
        #expect(a.text(123) == texts[123])
        #expect(a.words == b.words && Set(a.words).count == 5_000)
    }

    @Test func abstractLikeTexts() {
        let corpus = SyntheticCorpus(seed: 1, documents: 50, wordsPerDocument: 150, vocabularySize: 10_000)
        let tokenizer = Tokenizer()
        for text in corpus.texts() {
            #expect(text.contains("\n"))
            #expect(text.utf8.allSatisfy { $0 < 0x80 })
            #expect(tokenizer.terms(in: text).count == 150)  // no word is a stop word or too short
        }
    }

    @Test func zipfHeadDominates() {
        let corpus = SyntheticCorpus(seed: 3, documents: 400, vocabularySize: 20_000)
        var counts: [String: Int] = [:]
        for text in corpus.texts() { for t in Tokenizer().terms(in: text) { counts[t, default: 0] += 1 } }
        let top = counts.values.sorted(by: >)
        #expect(top[0] > 20 * top[min(999, top.count - 1)])
    }
}

/// Timing on a real corpus, only with PAPERFEED_BENCH=1 (run in a release build):
/// PAPERFEED_BENCH_CORPUS = JSONL with "title" and "abstract" (e.g. the zcat of Data/arxiv).
@Suite struct TextFeaturesBenchmarkTests {
    static let enabled = ProcessInfo.processInfo.environment["PAPERFEED_BENCH"] == "1"

    @Test(.enabled(if: enabled)) func arxivAbstracts() throws {
        let env = ProcessInfo.processInfo.environment
        let path = env["PAPERFEED_BENCH_CORPUS"] ?? "/tmp/arxiv-all.jsonl"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let texts = try data.split(separator: UInt8(ascii: "\n")).map { line -> String in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            return "\(object["title"] as? String ?? "")\n\(object["abstract"] as? String ?? "")"
        }
        var best = Double.infinity
        for _ in 0..<3 {
            let (seconds, terms, nnz) = TextFeaturesBenchmark.run(texts: texts)
            best = min(best, seconds)
            print("TextFeaturesBenchmark: \(texts.count) texts, \(terms) terms, \(nnz) nnz, \(seconds) s")
        }
        print("TextFeaturesBenchmark best: \(best) s")
    }
}
