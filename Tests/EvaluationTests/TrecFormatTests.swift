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
        #expect(runText == "u1 Q0 b 1 0.30000000000000004 t\nu1 Q0 c 2 0.1 t\nu1 Q0 a 3 0.1 t\n")
        let back = try TrecFormat.parseRun(runText)
        #expect(back.ranked("u1") == run.ranked("u1"))
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
        for user in run.users { #expect(run2.ranked(user) == run.ranked(user)) }
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
}
