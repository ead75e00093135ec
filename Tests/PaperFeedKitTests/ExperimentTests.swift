import Foundation
import LinearAlgebra
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedKit
import Testing

/// A temporary folder with a tiny bag-of-words corpus (two topics) and a published-style split.
private struct TinyCorpus {
    let dir: String
    init() throws {
        dir = NSTemporaryDirectory() + "paperfeed-exp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/configs", withIntermediateDirectories: true)
        let vocab = ["gene", "protein", "cell", "dna", "graph", "network", "node", "edge"]
        // docs 0-4 biology, 5-9 networks; each mixes its topic's words
        var docs: [String] = []
        for i in 0..<10 {
            let base = i < 5 ? 0 : 4
            let pairs = (0..<3).map { "\(base + (i + $0) % 4):\(1 + (i + $0) % 3)" }
            docs.append("3 " + pairs.joined(separator: " "))
        }
        try vocab.joined(separator: "\n").write(toFile: dir + "/vocabulary.dat", atomically: true, encoding: .utf8)
        try (docs.joined(separator: "\n") + "\n").write(toFile: dir + "/mult.dat", atomically: true, encoding: .utf8)
        // readers: 0 biology, 1 networks, 2 mixed, 3 has no test items
        try "2 0 1\n2 5 6\n1 2\n1 9\n".write(toFile: dir + "/train.dat", atomically: true, encoding: .utf8)
        try "2 2 3\n3 7 8 9\n2 4 8\n0\n".write(toFile: dir + "/test.dat", atomically: true, encoding: .utf8)
    }

    func config(k: Int, systems: String) throws -> String {
        let json = """
            {"data": {"corpus": {"name": "tiny", "documents": "\(dir)/mult.dat", "vocabulary": "\(dir)/vocabulary.dat",
              "train": "\(dir)/train.dat", "test": "\(dir)/test.dat"}},
             "split": {"kind": "ctr"}, "systems": [\(systems)],
             "metrics": ["recall@2", "recall@3", "ndcg@3"], "k": \(k), "seed": 5}
            """
        try json.write(toFile: dir + "/configs/tiny.json", atomically: true, encoding: .utf8)
        return dir + "/configs/tiny.json"
    }
}

@Suite struct ExperimentTests {
    @Test func ctrSplitParsesPublishedFiles() throws {
        let c = try TinyCorpus()
        let split = try CTRSplit.load(name: "tiny", train: c.dir + "/train.dat", test: c.dir + "/test.dat", itemCount: 10)
        #expect(split.train == [[0, 1], [5, 6], [2], [9]])
        #expect(split.test == [[2, 3], [7, 8, 9], [4, 8], []])
        #expect(split.evaluatedReaders == [0, 1, 2])
        try "1 0\n".write(toFile: c.dir + "/bad-test.dat", atomically: true, encoding: .utf8)
        #expect(throws: SplitError.self) {
            try CTRSplit.load(name: "tiny", train: c.dir + "/train.dat", test: c.dir + "/bad-test.dat", itemCount: 10)
        }
        try "2 0\n".write(toFile: c.dir + "/malformed.dat", atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) {
            try CTRSplit.load(name: "tiny", train: c.dir + "/malformed.dat", test: c.dir + "/test.dat", itemCount: 10)
        }
    }

    @Test func endToEndReportMatchesIndependentCount() throws {
        let c = try TinyCorpus()
        let path = try c.config(k: 3, systems: """
            {"name": "random", "baseline": "random"},
            {"name": "lsa", "baseline": "content", "dims": 2, "min_df": 1, "max_df": 1.0},
            {"name": "knn", "baseline": "content", "dims": 2, "min_df": 1, "max_df": 1.0, "aggregation": "itemknn", "neighbours": 3}
            """)
        let report = try Experiment.run(configPath: path)
        let out = c.dir + "/reports/tiny"
        #expect(report.directory == out)
        for file in ["report.md", "report.json", "qrels.txt", "runs/random.run", "runs/lsa.run", "runs/knn.run"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as! [String: Any]
        let systems = json["systems"] as! [[String: Any]]
        #expect(systems.count == 3)
        let test: [String: Set<String>] = ["tiny:u0": ["tiny:2", "tiny:3"], "tiny:u1": ["tiny:7", "tiny:8", "tiny:9"],
                                           "tiny:u2": ["tiny:4", "tiny:8"]]
        let train: [String: Set<String>] = ["tiny:u0": ["tiny:0", "tiny:1"], "tiny:u1": ["tiny:5", "tiny:6"], "tiny:u2": ["tiny:2"]]
        for s in systems {
            let name = s["name"] as! String
            #expect(s["users"] as? Int == 3)
            // independent: read the run file, order by rank column, count hits
            let lines = try String(contentsOfFile: out + "/runs/\(name).run", encoding: .utf8).split(separator: "\n")
            var lists: [String: [(Int, String)]] = [:]
            for l in lines {
                let f = l.split(separator: " ")
                lists[String(f[0]), default: []].append((Int(f[3])!, String(f[2])))
            }
            #expect(lists["tiny:u3"] == nil)
            for u in test.keys { #expect(Set(lists[u]!.map(\.1)).isDisjoint(with: train[u]!)) }
            for k in [2, 3] {
                var sum = 0.0
                for (u, rel) in test {
                    let top = lists[u]!.sorted { $0.0 < $1.0 }.prefix(k).map(\.1)
                    sum += Double(top.filter { rel.contains($0) }.count) / Double(rel.count)
                }
                let mean = (s["mean"] as! [String: Double])["recall@\(k)"]!
                #expect(abs(mean - sum / 3) < 1e-12, "\(name) recall@\(k)")
            }
        }
        // the content model separates the topics: reader 1 (networks) gets network papers first
        let lsa = try String(contentsOfFile: out + "/runs/lsa.run", encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("tiny:u1 ") }.map { String($0.split(separator: " ")[2]) }
        #expect(Set(lsa) == ["tiny:7", "tiny:8", "tiny:9"])
        // same seed → same report numbers
        let again = try Experiment.run(configPath: path)
        #expect(again.systems.map(\.mean) == report.systems.map(\.mean))
    }

    @Test func contentRankerMatchesBruteForce() throws {
        var g = SeededGenerator(seed: 3)
        let n = 40, d = 5
        var values: [Float] = (0..<(n * d)).map { _ in Float(Double(g.next() % 1000) / 500 - 1) }
        for i in 0..<n {
            var sq: Float = 0
            for j in 0..<d { sq += values[i * d + j] * values[i * d + j] }
            let norm = sq.squareRoot()
            for j in 0..<d { values[i * d + j] /= norm }
        }
        let e = DenseMatrix(rows: n, columns: d, values: values)
        let train = [[0, 3, 7], [10], [20, 21]]
        func dot(_ a: Int, _ b: Int) -> Float {
            var s: Float = 0
            for j in 0..<d { s += e.values[a * d + j] * e.values[b * d + j] }
            return s
        }
        let ranked = try ContentCatalogRanker(embeddings: e, aggregation: .profile, blockSize: 2).rank(train: train, readers: [0, 1, 2], k: 5)
        for (u, items) in train.enumerated() {
            var scored: [(item: Int, score: Float)] = []
            for i in 0..<n where !items.contains(i) {
                var s: Float = 0
                for j in items { s += dot(j, i) }
                scored.append((i, s))
            }
            scored.sort { a, b in a.score != b.score ? a.score > b.score : a.item < b.item }
            let brute: [Int] = scored.prefix(5).map { $0.item }
            #expect(ranked[u].map(\.item) == brute)
        }
        let knn = ContentCatalogRanker(embeddings: e, aggregation: .itemKNN(neighbours: 4, profileWeight: 0.001))
        #expect(try knn.rank(train: train, readers: [2, 0], k: 6).map { $0.map(\.item) }
                == (try knn.rank(train: train, readers: [0, 2], k: 6)).reversed().map { $0.map(\.item) })
    }
}
