import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import Testing

@Suite struct JudgmentTests {
    let t0 = Date(timeIntervalSince1970: 0)
    func e(_ u: UserID, _ p: PaperID, _ k: EventKind) -> Event { Event(user: u, paper: p, kind: k, at: t0) }

    @Test func defaultMapping() {
        let events = [
            e("u", "shown", .impression),
            e("u", "skipped", .skip),
            e("u", "read", .impression), e("u", "read", .read),
            e("u", "saved", .impression), e("u", "saved", .read), e("u", "saved", .save),
            e("u", "upvoted", .upvote),
            e("u", "skipThenRead", .skip), e("u", "skipThenRead", .read),
            e("v", "read", .read),
        ]
        let q = judgments(from: events)
        #expect(q == Qrels([
            "u": ["shown": 0, "skipped": 0, "read": 1, "saved": 2, "upvoted": 2, "skipThenRead": 1],
            "v": ["read": 1],
        ]))
        #expect(q.grade(user: "v", paper: "shown") == nil)  // never shown to v: unjudged
    }

    @Test func configurableMapping() {
        let policy = JudgmentPolicy.default.with(.save, grade: 3).with(.impression, grade: nil)
        let q = policy.judgments(from: [e("u", "a", .impression), e("u", "b", .save), e("u", "b", .upvote)])
        #expect(q == Qrels(["u": ["b": 3]]))
    }
}

@Suite struct BeyondAccuracyTests {
    let run = Run([
        "u1": [ScoredPaper(paper: "a", score: 3), ScoredPaper(paper: "b", score: 2), ScoredPaper(paper: "c", score: 1)],
        "u2": [ScoredPaper(paper: "a", score: 3), ScoredPaper(paper: "d", score: 2)],
    ])

    @Test func coverage() {
        #expect(close(BeyondAccuracy.catalogCoverage(run, catalogSize: 10), 4.0 / 10))
        #expect(close(BeyondAccuracy.catalogCoverage(run, catalogSize: 10, cutoff: 1), 1.0 / 10))
        #expect(close(BeyondAccuracy.catalogCoverage(run, catalog: ["a", "b", "z"]), 2.0 / 3))
        #expect(BeyondAccuracy.catalogCoverage(run, catalogSize: 0) == 0)
    }

    @Test func novelty() {
        // 4 readers; a read by 3, b by 1, c and d by nobody.
        let pop = Popularity(readers: ["a": 3, "b": 1], totalReaders: 4)
        let p = { (n: Double) in -log2((n + 1) / 5) }
        let u1 = (p(3) + p(1) + p(0)) / 3, u2 = (p(3) + p(0)) / 2
        #expect(close(BeyondAccuracy.novelty(run, popularity: pop), (u1 + u2) / 2))
        #expect(close(BeyondAccuracy.novelty(run, popularity: pop, cutoff: 1), p(3)))
        let t0 = Date(timeIntervalSince1970: 0)
        let fromEvents = Popularity(events: [
            Event(user: "x", paper: "a", kind: .read, at: t0), Event(user: "x", paper: "a", kind: .save, at: t0),
            Event(user: "y", paper: "a", kind: .impression, at: t0), Event(user: "y", paper: "b", kind: .upvote, at: t0),
        ])
        #expect(fromEvents == Popularity(readers: ["a": 1, "b": 1], totalReaders: 2))
        #expect(Popularity(qrels: Qrels(["x": ["a": 1, "b": 0], "y": ["a": 2]])) == Popularity(readers: ["a": 2], totalReaders: 2))
    }

    @Test func intraListDiversity() {
        let emb: [PaperID: [Float]] = ["a": [1, 0], "b": [0, 1], "c": [1, 1], "d": [2, 0]]
        let c45 = 1 / 2.0.squareRoot()
        let u1 = ((1 - 0) + (1 - c45) + (1 - c45)) / 3  // pairs ab, ac, bc
        let u2 = 1 - 1.0  // a and d point the same way
        #expect(close(BeyondAccuracy.intraListDiversity(run, embeddings: emb), (u1 + u2) / 2, 1e-7))
        #expect(BeyondAccuracy.intraListDiversity(["a"], embeddings: emb) == nil)
        #expect(BeyondAccuracy.intraListDiversity(["a", "zero"], embeddings: ["a": [1, 0], "zero": [0, 0]]) == 1)
    }
}

@Suite struct ReportTests {
    @Test func jsonAndTable() throws {
        let qrels = Qrels(["u1": ["a": 1], "u2": ["b": 1]])
        let run = Run(["u1": [ScoredPaper(paper: "a", score: 1)], "u2": [ScoredPaper(paper: "x", score: 1), ScoredPaper(paper: "b", score: 0)]])
        let report = MetricsReport(Evaluator(qrels: qrels).evaluate(run, metrics: [.reciprocalRank(cutoff: nil), .hitRate(cutoff: 1)]))
        #expect(report.users == 2)
        #expect(report.mean == ["mrr": (1 + 0.5) / 2, "hit@1": 0.5])
        let json = try report.jsonString(pretty: false)
        #expect(json == #"{"mean":{"hit@1":0.5,"mrr":0.75},"per_user":{"u1":{"hit@1":1,"mrr":1},"u2":{"hit@1":0,"mrr":0.5}},"users":2}"#)
        let decoded = try JSONDecoder().decode(MetricsReport.self, from: Data(json.utf8))
        #expect(decoded.mean == report.mean && decoded.perUser == report.perUser)
        #expect(report.table() == "num_q\tall\t2\nmrr  \tall\t0.7500\nhit@1\tall\t0.5000\n")
        #expect(report.table(perUser: true).hasPrefix("mrr  \tu1\t1.0000\nhit@1\tu1\t1.0000\n"))
    }
}
