import Foundation
import LinearAlgebra
import PaperFeedCore
import Testing
import TextFeatures

@testable import TopicModel

/// A small corpus with four obvious themes, so the right neighbours are known.
private func corpus() -> [(id: PaperID, text: String)] {
    let themes = [
        ["graph", "neural", "network", "node", "edge", "message", "passing"],
        ["protein", "folding", "molecule", "structure", "drug", "binding", "chemistry"],
        ["language", "model", "token", "translation", "prompt", "reasoning", "llm"],
        ["robot", "control", "policy", "manipulation", "grasp", "locomotion", "sim2real"],
    ]
    var g = SeededGenerator(seed: 11)
    var docs: [(PaperID, String)] = []
    for i in 0..<80 {
        let theme = themes[i % 4]
        let words = (0..<30).map { _ in theme[Int(g.next() % UInt64(theme.count))] } + ["study", "method"]
        docs.append((PaperID(String(format: "p%03d", i)), words.joined(separator: " ")))
    }
    return docs.map { (id: $0.0, text: $0.1) }
}

private func config(dims: Int = 6) -> TopicModelConfiguration {
    var c = TopicModelConfiguration()
    c.dimensions = dims
    c.minDocumentFrequency = 1
    c.maxDocumentFrequency = 0.9
    return c
}

@Suite struct TopicModelTests {
    @Test func embeddingsAreUnitRowsAndNeighboursShareTheTheme() throws {
        let (model, report) = try TopicModel.fit(documents: corpus(), configuration: config(), createdAt: "2026-01-01T00:00:00Z")
        #expect(report.documents == 80 && report.dims == 6)
        for r in 0..<model.embeddings.rows {
            let n = model.embeddings.row(r).reduce(Float(0)) { $0 + $1 * $1 }
            #expect(abs(n - 1) < 1e-4)
        }
        // p000 is theme 0; its 5 nearest neighbours must all be theme 0 (ids ≡ 0 mod 4).
        let near = try model.similar(to: "p000", k: 5)
        for n in near { #expect(Int(n.paper.rawValue.dropFirst())! % 4 == 0, "neighbour \(n.paper) of p000 is off-theme") }
        // Singular values are sorted.
        #expect(zip(model.singularValues, model.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func foldingInAFittedPaperGivesItsEmbeddingBack() throws {
        let docs = corpus()
        let (model, _) = try TopicModel.fit(documents: docs, configuration: config(), createdAt: "x")
        let folded = try model.foldIn(texts: [docs[3].text, docs[42].text])
        for (row, i) in [3, 42].enumerated() {
            let a = model.embeddings.row(i), b = folded.row(row)
            let diff = zip(a, b).map { abs($0 - $1) }.max()!
            #expect(diff < 1e-6, "fold-in of document \(i) differs by \(diff)")
        }
        // Unknown terms are ignored: a text of unseen words folds in to the zero vector.
        #expect(try model.foldIn(texts: ["zzz qqq xyzzy"]).values.allSatisfy { $0 == 0 })
    }

    @Test func sameSeedSameBytesAndArtifactRoundTripIsExact() throws {
        let docs = corpus()
        let (a, _) = try TopicModel.fit(documents: docs, configuration: config(), createdAt: "t")
        let (b, _) = try TopicModel.fit(documents: docs, configuration: config(), createdAt: "t")
        #expect(a.artifact() == b.artifact())
        let back = try TopicModel(artifact: a.artifact())
        #expect(back.artifact() == a.artifact())
        #expect(try back.foldIn(texts: [docs[5].text]) == a.foldIn(texts: [docs[5].text]))
    }

    @Test func inconsistentArtifactsAreTypedErrors() throws {
        let (model, _) = try TopicModel.fit(documents: corpus(), configuration: config(), createdAt: "t")
        var broken = model.artifact()
        broken.lists["vocabulary"]![0] = "tampered"
        #expect(throws: TopicModelError.self) { _ = try TopicModel(artifact: broken) }
        var wrongKind = model.artifact()
        wrongKind.kind = "something-else"
        #expect(throws: TopicModelError.self) { _ = try TopicModel(artifact: wrongKind) }
        var wrongShape = model.artifact()
        wrongShape.arrays["embeddings"] = FloatArray(shape: [1, 6], values: [Float](repeating: 0, count: 6))
        #expect(throws: TopicModelError.self) { _ = try TopicModel(artifact: wrongShape) }
    }

    @Test func countsPipelineMatchesTextPipeline() throws {
        // The same documents as term counts over a vocabulary give the same embeddings.
        let docs = corpus()
        let vocabulary = Array(Set(docs.flatMap { $0.text.split(separator: " ").map(String.init) })).sorted()
        let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, Int32($0)) })
        let bags = docs.map { d -> BagOfWordsDocument in
            var counts: [Int32: Int32] = [:]
            for w in d.text.split(separator: " ") { counts[index[String(w)]!, default: 0] += 1 }
            let ids = counts.keys.sorted()
            return BagOfWordsDocument(paper: d.id, termIDs: ids, counts: ids.map { counts[$0]! })
        }
        let (text, _) = try TopicModel.fit(documents: docs, configuration: config(), createdAt: "t")
        let (bow, _) = try TopicModel.fit(counts: bags, vocabulary: vocabulary, configuration: config(), createdAt: "t")
        #expect(text.tfidf.vocabulary == bow.tfidf.vocabulary)
        for (x, y) in zip(text.singularValues, bow.singularValues) { #expect(abs(x - y) < 1e-4 * max(1, x)) }
    }

    @Test func topTermsOfAComponentComeFromOneTheme() throws {
        let (model, _) = try TopicModel.fit(documents: corpus(), configuration: config(dims: 4), createdAt: "t")
        #expect(model.topTerms(component: 0, top: 3).count == 3)
        let terms = (0..<4).flatMap { model.topTerms(component: $0, top: 2).map(\.term) }
        #expect(Set(terms).count >= 4)
    }
}

@Suite struct CorpusHashTests {
    @Test func parallelTextHashesEqualHashValueStable() {
        let texts = (0..<5000).map { i -> (id: PaperID, text: String) in
            (id: PaperID("p\(i)"), text: i % 3 == 0 ? "Título \(i)\nÜber café — \(i)" : String(repeating: "word\(i % 17) ", count: i % 50))
        }
        #expect(TopicModel.stableTextHashes(texts) == texts.map(\.text.hashValueStable))
        #expect(TopicModel.stableTextHashes([]) == [])
    }
}
