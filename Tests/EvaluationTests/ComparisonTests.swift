import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import Testing

/// Per-reader values of n readers r00…: A uniform in [0.2, 0.7), B = transform(A, i).
func twoSystems(n: Int, seed: UInt64, metrics: [String] = ["m"],
                _ b: (String, Double, Int) -> Double) -> [SystemScores] {
    var g = SeededGenerator(seed: seed)
    var a: [String: [UserID: Double]] = [:], bb: [String: [UserID: Double]] = [:]
    for i in 0..<n {
        let user = UserID("r" + (i < 10 ? "0" : "") + String(i))
        for metric in metrics {
            let x = 0.2 + 0.5 * g.nextUnit()
            a[metric, default: [:]][user] = x
            bb[metric, default: [:]][user] = b(metric, x, i)
        }
    }
    return [SystemScores(name: "A", values: a), SystemScores(name: "B", values: bb)]
}

@Suite struct ComparisonTests {
    @Test func betterForEveryReader() throws {
        let seed: UInt64 = 42
        print("comparison seed \(seed)")
        let systems = twoSystems(n: 30, seed: seed) { _, x, i in x + 0.05 + 0.01 * Double(i % 3) }
        let report = try Comparison.compare(systems, options: ComparisonOptions(seed: seed))
        let pair = try #require(report.result("m")?.pair("B"))
        #expect(pair.verdict == .better)
        #expect(pair.pRandomization < 0.01 && pair.pHolm < 0.01 && pair.pT < 0.01)
        #expect(pair.diff > 0 && pair.ciLow > 0 && pair.ciHigh < 0.08)
        #expect(abs(pair.diff - 0.06) < 1e-12)  // mean of 0.05 + 0.01·(i mod 3) over i = 0…29
        // Deterministic for a seed.
        #expect(try Comparison.compare(systems, options: ComparisonOptions(seed: seed)) == report)
        #expect(try report.jsonString() == Comparison.compare(systems, options: ComparisonOptions(seed: seed)).jsonString())
    }

    @Test func identicalSystems() throws {
        let systems = twoSystems(n: 25, seed: 3) { _, x, _ in x }
        let report = try Comparison.compare(systems, options: ComparisonOptions(seed: 3))
        let pair = try #require(report.result("m")?.pair("B"))
        #expect(pair.pRandomization == 1 && pair.pT == 1 && pair.pHolm == 1)
        #expect(pair.verdict == .noSignificantDifference)
        #expect(pair.diff == 0 && pair.ciLow == 0 && pair.ciHigh == 0 && pair.effectSize == nil)
    }

    @Test func oneMetricImprovesAnotherDegrades() throws {
        let seed: UInt64 = 9
        print("comparison seed \(seed)")
        let systems = twoSystems(n: 40, seed: seed, metrics: ["up", "down", "same"]) { metric, x, i in
            switch metric {
            case "up": return x + 0.1 + 0.02 * Double(i % 5)
            case "down": return x - 0.1 - 0.02 * Double(i % 5)
            default: return x + (i % 2 == 0 ? 0.01 : -0.01)
            }
        }
        let report = try Comparison.compare(systems, metrics: ["up", "down", "same"], options: ComparisonOptions(seed: seed))
        #expect(report.result("up")?.pair("B")?.verdict == .better)
        #expect(report.result("down")?.pair("B")?.verdict == .worse)
        #expect(report.result("same")?.pair("B")?.verdict == .noSignificantDifference)
        // Holm family of 3: the smallest raw p is multiplied by 3.
        let raw = report.results.map { $0.pairs[0].pRandomization }
        let holm = report.results.map { $0.pairs[0].pHolm }
        #expect(holm == HolmCorrection.adjust(raw))
        #expect(report.results.map(\.metric) == ["up", "down", "same"])
    }

    @Test func threeSystemsAllPairs() throws {
        var systems = twoSystems(n: 20, seed: 5) { _, x, _ in x + 0.1 }
        systems.append(SystemScores(name: "C", values: systems[0].values))
        let report = try Comparison.compare(systems, options: ComparisonOptions(seed: 5, allPairs: true))
        let pairs = report.results[0].pairs.map { "\($0.baseline)-\($0.system):\($0.verdict.rawValue)" }
        #expect(pairs == ["A-B:better", "A-C:no significant difference", "B-C:worse"])
    }

    @Test func missingReader() throws {
        var systems = twoSystems(n: 12, seed: 1) { _, x, _ in x + 0.1 }
        systems[1].values["m"]!["r05"] = nil
        #expect(throws: EvaluationError.missingReader(reader: "r05", metric: "m", presentIn: "A", absentFrom: "B")) {
            try Comparison.compare(systems, options: ComparisonOptions(permutations: 10, bootstrapResamples: 10))
        }
        let dropped = try Comparison.compare(systems, options: ComparisonOptions(missing: .dropReader))
        #expect(dropped.results[0].readers == 11)
        #expect(abs(dropped.results[0].pairs[0].diff - 0.1) < 1e-12)
        let zero = try Comparison.compare(systems, options: ComparisonOptions(missing: .countAsZero))
        #expect(zero.results[0].readers == 12)
        let a05 = systems[0].values["m"]!["r05"]!
        #expect(abs(zero.results[0].pairs[0].diff - (0.1 * 11 - a05) / 12) < 1e-12)
        let message = EvaluationError.missingReader(reader: "r05", metric: "m", presentIn: "A", absentFrom: "B").description
        #expect(message.contains("r05") && message.contains("dropReader"))
    }

    @Test func segmentsFromEventsAndSegmentResults() throws {
        let t = { (d: Double) in Date(timeIntervalSince1970: d) }
        var events: [Event] = []
        // r00: 6 reads before the cut-off (warm); r01: 2 reads + 5 impressions (cold);
        // r02: 1 read before, 9 after the cut-off (cold); r03: 4 reads (cold).
        for k in 0..<6 { events.append(Event(user: "r00", paper: PaperID("p\(k)"), kind: .read, at: t(Double(k)))) }
        for k in 0..<2 { events.append(Event(user: "r01", paper: PaperID("p\(k)"), kind: .read, at: t(1))) }
        for k in 0..<5 { events.append(Event(user: "r01", paper: PaperID("q\(k)"), kind: .impression, at: t(1))) }
        events.append(Event(user: "r02", paper: "p0", kind: .read, at: t(1)))
        for k in 0..<9 { events.append(Event(user: "r02", paper: PaperID("z\(k)"), kind: .save, at: t(200))) }
        for k in 0..<4 { events.append(Event(user: "r03", paper: PaperID("p\(k)"), kind: .upvote, at: t(2))) }
        let seg = ReaderSegments.fromEvents(events, cutoff: t(100), coldThreshold: 5, readers: ["r04"])
        #expect(seg["cold"] == ["r01", "r02", "r03", "r04"] && seg["warm"] == ["r00"])
        // Counts 6, 2, 1, 4, 0 → median 2: light ≤ 2, heavy > 2.
        #expect(seg["light"] == ["r01", "r02", "r04"] && seg["heavy"] == ["r00", "r03"])

        let systems = twoSystems(n: 30, seed: 8) { _, x, i in i < 15 ? x + 0.2 : x }
        let first = Set((0..<15).map { UserID("r" + ($0 < 10 ? "0" : "") + String($0)) })
        let report = try Comparison.compare(systems, segments: ["first": first, "cluster-3": ["r20", "r21"]],
                                            options: ComparisonOptions(seed: 8))
        #expect(report.segments.map(\.segment) == ["cluster-3", "first"])
        let f = try #require(report.segments.last?.results.first)
        #expect(f.readers == 15 && f.pairs[0].verdict == .better && abs(f.pairs[0].diff - 0.2) < 1e-12)
        #expect(report.segments.first?.results.first?.pairs.first?.verdict == .noSignificantDifference)
    }

    @Test func compareTrecFilesUsesBaseNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pf-cmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let qrels = Qrels(["u1": ["a": 1, "b": 2], "u2": ["c": 1], "u3": ["a": 1]])
        let good = Run(["u1": [.init(paper: "b", score: 2), .init(paper: "a", score: 1)],
                        "u2": [.init(paper: "c", score: 1)], "u3": [.init(paper: "a", score: 1)]])
        let bad = Run(["u1": [.init(paper: "x", score: 2)], "u2": [.init(paper: "y", score: 1)],
                       "u3": [.init(paper: "z", score: 1)]])
        let q = dir.appendingPathComponent("q.txt").path
        try TrecFormat.writeQrels(qrels, path: q)
        try TrecFormat.writeRun(bad, path: dir.appendingPathComponent("baseline.run").path)
        try TrecFormat.writeRun(good, path: dir.appendingPathComponent("new.run").path)
        let report = try compareTrecFiles(
            qrels: q, runs: [dir.appendingPathComponent("baseline.run").path, dir.appendingPathComponent("new.run").path],
            metrics: [.ndcg(cutoff: 10), .reciprocalRank(cutoff: nil)], options: ComparisonOptions(permutations: 1000))
        #expect(report.systems == ["baseline", "new"] && report.metrics == ["ndcg@10", "mrr"])
        #expect(report.result("mrr")?.means == ["baseline": 0, "new": 1])
        // 3 readers: the smallest possible randomization p is 2/8 — never significant.
        #expect(report.result("mrr")?.pair("new")?.verdict == .noSignificantDifference)
        try TrecFormat.writeRun(Run(["u1": good.lists["u1"]!]), path: dir.appendingPathComponent("short.run").path)
        #expect(throws: EvaluationError.self) {
            try compareTrecFiles(qrels: q, runs: [dir.appendingPathComponent("new.run").path,
                                                  dir.appendingPathComponent("short.run").path])
        }
    }
}
