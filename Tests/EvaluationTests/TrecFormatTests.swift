import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import Testing

@Suite struct TrecFormatTests {
    @Test func roundTripStrings() throws {
        let qrels = Qrels(["u2": ["b": 2, "a": 0], "u1": ["z": 1, "é": -1]])
        let text = TrecFormat.format(qrels)
        #expect(text == "u1 0 z 1\nu1 0 é -1\nu2 0 a 0\nu2 0 b 2\n")
        #expect(try TrecFormat.parseQrels(text) == qrels)

        let run = Run(["u1": [ScoredPaper(paper: "a", score: 0.1), ScoredPaper(paper: "b", score: 0.30000000000000004),
                              ScoredPaper(paper: "c", score: 0.1)]])
        let runText = TrecFormat.format(run, tag: "t")
        // The tie (a, c at 0.1) is written in trec_eval's order (c first), scores as float32
        // values, the second 0.1 one float32 step below: Float(0.1) − ulp(Float(1)).
        let f1 = Double(Float(0.30000000000000004)), f2 = Double(Float(0.1)), f3 = Double(Float(0.1) - Float(1).ulp)
        #expect(runText == "u1 Q0 b 1 \(f1) t\nu1 Q0 c 2 \(f2) t\nu1 Q0 a 3 \(f3) t\n")
        #expect(f3 == 0.09999988228082657)
        let back = try TrecFormat.parseRun(runText)
        #expect(back.ranked("u1").map(\.paper) == run.ranked("u1").map(\.paper))
        // Any tie rule reads the written order back: no ties are left.
        for rule in TieBreak.allCases { #expect(back.ranked("u1", tieBreak: rule).map(\.paper) == ["b", "c", "a"]) }
    }

    @Test func roundTripFilesOfTheFixture() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pf-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let qrels = try TrecFormat.readQrels(path: Fixture.path("graded-ties", "qrels"))
        let run = try TrecFormat.readRun(path: Fixture.path("graded-ties", "run"))
        let q = dir.appendingPathComponent("q.txt").path, r = dir.appendingPathComponent("r.txt").path
        try TrecFormat.writeQrels(qrels, path: q)
        try TrecFormat.writeRun(run, path: r)
        #expect(try TrecFormat.readQrels(path: q) == qrels)
        let run2 = try TrecFormat.readRun(path: r)
        for user in run.users {
            // Same order under trec_eval's rule, scores strictly decreasing (ties broken in writing).
            #expect(run2.ranked(user).map(\.paper) == run.ranked(user).map(\.paper))
            #expect(RunScores.isStrictlyDecreasing(run2.lists[user]!.map(\.score)))
            for rule in TieBreak.allCases { #expect(run2.ranked(user, tieBreak: rule) == run2.ranked(user)) }
        }
        // Same metrics from the rewritten files.
        let a = try evaluateTrecFiles(qrels: Fixture.path("graded-ties", "qrels"), run: Fixture.path("graded-ties", "run"))
        let b = try evaluateTrecFiles(qrels: q, run: r)
        #expect(a == b)
    }

    /// Scores parse to exactly what `Double(String)` gives (fast path and fallback).
    @Test func scoresParseExactly() throws {
        var g = SeededGenerator(seed: 3)
        var lines = "", want: [Double] = []
        for i in 0..<2000 {
            let x = (g.nextUnit() - 0.5) * pow(10, Double(Int(g.next() % 12)) - 4)
            let text = i % 3 == 0 ? String(format: "%.6f", x) : i % 3 == 1 ? "\(x)" : String(format: "%.3e", x)
            lines += "u Q0 p\(i) 1 \(text) t\n"
            want.append(Double(text)!)
        }
        lines += "u Q0 a 1 007 t\nu Q0 b 1 -0.0000000000000000000000123 t\nu Q0 c 1 123456789012345.6 t\n"
        want += [7, -0.0000000000000000000000123, 123456789012345.6]
        let run = try TrecFormat.parseRun(lines)
        #expect(run["u"]!.map(\.score) == want)
    }

    @Test func whitespaceAndBlankLines() throws {
        let q = try TrecFormat.parseQrels("u1\t0  a   1\r\n\n   \nu1 0 b 0\n")
        #expect(q == Qrels(["u1": ["a": 1, "b": 0]]))
    }

    @Test func parseErrorsNameFileLineAndField() {
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch { return "\(error)" }
            return "no error"
        }
        #expect(message { _ = try TrecFormat.parseQrels("u 0 a 1\nu 0 b x\n", name: "q.txt") }
            .hasPrefix("q.txt:2: field 4 (grade): 'x' is not an integer"))
        #expect(message { _ = try TrecFormat.parseQrels("u 0 a\n", name: "q.txt") }
            .hasPrefix("q.txt:1: field 4 (grade) is missing"))
        #expect(message { _ = try TrecFormat.parseQrels("u 0 a 1\n\nu 0 a 2\n", name: "q.txt") }
            == "q.txt:3: user u paper a already appeared on line 1; keep one line per (user, paper) pair")
        #expect(message { _ = try TrecFormat.parseRun("u Q0 a 1 0.5 t\nu Q0 b 2 high t\n", name: "r.txt") }
            .hasPrefix("r.txt:2: field 5 (score): 'high' is not a finite number"))
        #expect(message { _ = try TrecFormat.parseRun("u Q0 a one 0.5 t\n", name: "r.txt") }
            .hasPrefix("r.txt:1: field 4 (rank)"))
        #expect(message { _ = try TrecFormat.parseRun("u Q0 a 1 0.5 t extra\n", name: "r.txt") }
            .hasPrefix("r.txt:1: field 7 is unexpected"))
        #expect(message { _ = try TrecFormat.parseRun("u Q0 a 1 0.5 t\nv Q0 a 1 0.5 t\nu Q0 a 2 0.4 t\n", name: "r.txt") }
            == "r.txt:3: user u paper a already appeared on line 1; keep one line per (user, paper) pair")
        #expect(message { _ = try TrecFormat.readRun(path: "/nonexistent/run.txt") }.hasPrefix("/nonexistent/run.txt: cannot read"))
    }

    @Test func runFromRankedLists() {
        let lists = [RankedList(user: "u", items: [RankedItem(paper: "a", score: 2), RankedItem(paper: "b", score: 1)])]
        #expect(Run(rankedLists: lists).ranked("u").map(\.paper) == ["a", "b"])
    }

    /// `RunScores`: f_i = min(Float(s_i), f_{i−1} − ulp(max(|f_{i−1}|, 1))) in float32; untied scores
    /// keep their float32 value.
    @Test func strictlyDecreasingScores() {
        let step = Float(1).ulp
        func w(_ xs: [Float]) -> [Double] { xs.map(Double.init) }
        #expect(RunScores.strictlyDecreasing([0.5, 0.25, 0.125]) == [0.5, 0.25, 0.125])
        #expect(RunScores.strictlyDecreasing([0.5, 0.5, 0.5]) == w([0.5, 0.5 - step, 0.5 - step - step]))
        #expect(RunScores.strictlyDecreasing([0, 0]) == w([0, -step]))
        // Above 1 the step is the value's own float32 ulp.
        #expect(RunScores.strictlyDecreasing([1024, 1024]) == w([1024, 1024 - Float(1024).ulp]))
        // Doubles that differ below float32 precision are pushed apart too (trec_eval keeps floats).
        #expect(RunScores.strictlyDecreasing([0.5, 0.5 - 1e-12]) == w([0.5, 0.5 - step]))
        // An out-of-order score (after MMR) goes below its predecessor; later ones follow.
        #expect(RunScores.strictlyDecreasing([0.3, 0.9, 0.1]) == w([Float(0.3), Float(0.3) - step, Float(0.1)]))
        #expect(RunScores.strictlyDecreasing([]) == [])
        for scores in [[0.7, 0.7, 0.7, 0.2, 0.2], [-1, -1, -1], [3, 3, 0, 0, 0], [0.1, 0.1 - 1e-9, 0.1 - 2e-9]] {
            let written = RunScores.strictlyDecreasing(scores)
            #expect(RunScores.isStrictlyDecreasing(written))
            // Written scores round-trip through their printed form, as doubles and as floats.
            #expect(written.map { Double("\($0)")! } == written)
            #expect(written.map { Double(Float("\($0)")!) } == written)
        }
        #expect(!RunScores.isStrictlyDecreasing([0.5, 0.5 - 1e-12]))
    }

    /// `Run.published(order:)` keeps the given order (nil) or sorts under the tie rule first.
    @Test func publishedRunKeepsTheListOrder() {
        let run = Run(["u": [ScoredPaper(paper: "b", score: 0.5), ScoredPaper(paper: "a", score: 0.5), ScoredPaper(paper: "c", score: 0.9)]])
        #expect(run.published(order: nil).lists["u"]!.map(\.paper) == ["b", "a", "c"])
        #expect(run.published(order: .inputOrder).lists["u"]!.map(\.paper) == ["c", "b", "a"])
        #expect(run.published(order: .paperIDAscending).lists["u"]!.map(\.paper) == ["c", "a", "b"])
        #expect(run.published(order: .paperIDDescending).lists["u"]!.map(\.paper) == ["c", "b", "a"])
        let p = run.published(order: nil)
        #expect(RunScores.isStrictlyDecreasing(p.lists["u"]!.map(\.score)))
        #expect(p.ranked("u").map(\.paper) == ["b", "a", "c"])
    }
}
