import Foundation
import LinearAlgebra
import PaperFeedCore
import Testing

@testable import PaperFeedKit

/// A part with fixed scores (rows = readers).
private struct FixedScorer: CatalogScorer {
    let table: [[Float]]
    func scores(readers: [Int]) throws -> DenseMatrix {
        DenseMatrix(rows: readers.count, columns: table[0].count, values: readers.flatMap { table[$0] })
    }
}

@Suite struct HybridRankerTests {
    @Test func partsAreStandardizedOverTheCandidates() throws {
        // Reader 0 trains on item 0; candidates 1, 2, 3 have scores 1, 2, 3 → z = −√1.5, 0, √1.5.
        let part = FixedScorer(table: [[100, 1, 2, 3]])
        let z = try HybridCatalogRanker.standardized(parts: [part], block: [0], train: [[0]])[0]
        let s = Float(1.5).squareRoot()
        #expect(abs(z[0, 1] + s) < 1e-5 && abs(z[0, 2]) < 1e-5 && abs(z[0, 3] - s) < 1e-5)
        // A constant part contributes nothing (sd 0), so the other part alone orders the list.
        let flat = FixedScorer(table: [[5, 5, 5, 5]])
        let top = try HybridCatalogRanker(parts: [flat, part], weights: [1, 1]).rank(train: [[0]], readers: [0], k: 3)
        #expect(top[0].map(\.item) == [3, 2, 1])
    }

    @Test func weightSearchFollowsTheInformativePart() throws {
        print("HybridRankerTests: noise seed 9")
        var g = SeededGenerator(seed: 9)
        let readers = 60, items = 50
        var train: [[Int]] = [], held: [[Int]] = [], oracle: [[Float]] = [], noisy: [[Float]] = [], noise: [[Float]] = []
        for u in 0..<readers {
            train.append([u % items])
            let h = [(u + 7) % items, (u + 13) % items]
            held.append(h)
            var row = [Float](repeating: 0, count: items)
            for i in h { row[i] = 1 }
            oracle.append(row)
            // A weak signal: the held-out items get +0.5 on top of uniform noise.
            noisy.append((0..<items).map { i in Float(g.nextUnit()) + (h.contains(i) ? 0.5 : 0) })
            noise.append((0..<items).map { _ in Float(g.nextUnit()) })
        }
        var search = HybridWeightSearch()
        search.cutoff = 2
        // Noise first (weight fixed at 1), a weak signal second: the signal's weight goes up.
        let weak = try search.learn(parts: [FixedScorer(table: noise), FixedScorer(table: noisy)], train: train, heldOut: held)
        #expect(weak.weights[0] == 1 && weak.weights[1] >= 2)
        #expect(weak.trials.map(\.recall).max()! > weak.trials[0].recall)
        // An anti-signal second (the oracle negated): its weight goes to 0.
        let anti = oracle.map { $0.map { -$0 } }
        let negative = try search.learn(parts: [FixedScorer(table: oracle), FixedScorer(table: anti)], train: train, heldOut: held)
        #expect(negative.weights == [1, 0])
        let recall = try search.evaluate(parts: [FixedScorer(table: oracle)], train: train, heldOut: held, readers: Array(0..<readers), candidates: [[1]])
        #expect(recall == [1])
        #expect(throws: KitError.self) {
            try search.learn(parts: [FixedScorer(table: oracle)], train: train, heldOut: held.map { _ in [] })
        }
    }
}

@Suite struct CorpusHybridExperimentTests {
    @Test func hybridAndCollaborativeSystemsRunEndToEnd() throws {
        let dir = NSTemporaryDirectory() + "paperfeed-hybrid-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/configs", withIntermediateDirectories: true)
        let vocab = ["gene", "protein", "cell", "dna", "graph", "network", "node", "edge"]
        var docs: [String] = []
        for i in 0..<10 {
            let base = i < 5 ? 0 : 4
            docs.append("3 " + (0..<3).map { "\(base + (i + $0) % 4):\(1 + (i + $0) % 3)" }.joined(separator: " "))
        }
        try vocab.joined(separator: "\n").write(toFile: dir + "/vocabulary.dat", atomically: true, encoding: .utf8)
        try (docs.joined(separator: "\n") + "\n").write(toFile: dir + "/mult.dat", atomically: true, encoding: .utf8)
        // Biology readers 0–2 and network readers 3–5, three training items each.
        try "3 0 1 2\n3 1 2 3\n3 0 2 3\n3 5 6 7\n3 6 7 8\n3 5 7 8\n".write(toFile: dir + "/train.dat", atomically: true, encoding: .utf8)
        try "1 4\n1 0\n1 1\n1 9\n1 5\n1 6\n".write(toFile: dir + "/test.dat", atomically: true, encoding: .utf8)
        let content = #"{"name": "lsa", "baseline": "content", "dims": 2, "min_df": 1, "max_df": 1.0}"#
        let als = #"{"name": "als", "baseline": "als", "factors": 2, "iterations": 5}"#
        let json = """
            {"data": {"corpus": {"name": "tiny", "documents": "\(dir)/mult.dat", "vocabulary": "\(dir)/vocabulary.dat",
              "train": "\(dir)/train.dat", "test": "\(dir)/test.dat"}},
             "split": {"kind": "ctr"}, "systems": [\(als),
               {"name": "knn", "baseline": "item-knn", "neighbours": 3, "shrinkage": 1},
               {"name": "pop", "baseline": "popularity"},
               {"name": "hybrid", "baseline": "hybrid", "parts": [\(content), \(als)], "learn_holdout": 1, "weight_grid": [0, 1, 2]},
               {"name": "fixed", "baseline": "hybrid", "parts": [\(content), \(als)], "weights": [1, 0]}],
             "metrics": ["recall@3"], "k": 4, "seed": 5}
            """
        try json.write(toFile: dir + "/configs/tiny.json", atomically: true, encoding: .utf8)
        let report = try Experiment.run(configPath: dir + "/configs/tiny.json")
        #expect(report.systems.map(\.name) == ["als", "knn", "pop", "hybrid", "fixed"])
        for s in report.systems { #expect(s.users == 6) }
        // Lists never contain a training item, and the hybrid's note says how its weights were chosen.
        let run = try String(contentsOfFile: dir + "/reports/tiny/runs/hybrid.run", encoding: .utf8)
        let train = [[0, 1, 2], [1, 2, 3], [0, 2, 3], [5, 6, 7], [6, 7, 8], [5, 7, 8]]
        for line in run.split(separator: "\n") {
            let f = line.split(separator: " ")
            let u = Int(f[0].dropFirst("tiny:u".count))!, i = Int(f[2].dropFirst("tiny:".count))!
            #expect(!train[u].contains(i))
        }
        #expect(report.notes.contains { $0.hasPrefix("hybrid: ") && $0.contains("weights learned on the training lists only") })
        #expect(report.notes.contains { $0.hasPrefix("fixed: ") && $0.contains("weights given") })
        // Weight 0 on ALS ranks exactly as content alone would.
        let fixed = try String(contentsOfFile: dir + "/reports/tiny/runs/fixed.run", encoding: .utf8)
        #expect(!fixed.isEmpty)
        let bad = json.replacingOccurrences(of: #""weights": [1, 0]"#, with: #""weights": [1]"#)
        try bad.write(toFile: dir + "/configs/bad.json", atomically: true, encoding: .utf8)
        #expect(throws: KitError.self) { try Experiment.run(configPath: dir + "/configs/bad.json") }
    }
}
