import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import Testing

@Suite struct ComparisonRenderingTests {
    /// A report with awkward names (escaping), three systems, two metrics and a segment.
    func sampleReport() throws -> ComparisonReport {
        var systems = twoSystems(n: 30, seed: 21, metrics: ["ndcg@10", "r<&>\"'"]) { m, x, i in
            m == "ndcg@10" ? x + 0.1 : x - 0.01 * Double(i % 2)
        }
        systems[0].name = "base & <old>"
        systems.append(SystemScores(name: "C \"quoted\"", values: systems[0].values))
        return try Comparison.compare(systems, metrics: ["ndcg@10", "r<&>\"'"],
                                      segments: ["cold": Set((0..<10).map { UserID("r0\($0)") })],
                                      options: ComparisonOptions(permutations: 2_000, bootstrapResamples: 2_000, seed: 21))
    }

    /// data-key → printed text of every numeric cell.
    func numbers(_ html: String) -> [String: String] {
        var out: [String: String] = [:]
        var rest = Substring(html)
        while let r = rest.range(of: "<span data-key=\"") {
            rest = rest[r.upperBound...]
            let q = rest.firstIndex(of: "\"")!
            let key = XMLCheck.unescape(String(rest[..<q]))
            let gt = rest.firstIndex(of: ">")!
            let end = rest.range(of: "</span>")!
            out[key] = String(rest[rest.index(after: gt)..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return out
    }

    @Test func htmlIsWellFormedAndShowsTheReportNumbers() throws {
        let report = try sampleReport()
        let log = SyntheticLog(lists: 300, seed: 4)
        let offPolicy = try OffPolicy.estimate(events: log.events, newLists: log.newLists,
                                               options: OffPolicyOptions(bootstrapResamples: 200, seed: 4))
        let curves: [String: [Int: Double]] = [
            "base & <old>": Dictionary(uniqueKeysWithValues: (1...100).map { ($0, 0.3 * log2(Double($0) + 1) / 7) }),
            "B": Dictionary(uniqueKeysWithValues: (1...100).map { ($0, 0.35 * log2(Double($0) + 1) / 7) }),
        ]
        let html = ReportHTML.render(report: report, curves: curves,
                                     histogram: .init(metric: "ndcg@10", system: "B"), offPolicy: offPolicy,
                                     title: "A/B <test> & more")
        let problems = XMLCheck.problems(html)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("@import") && !html.contains("<script"))
        #expect(html.contains("<svg") && html.contains("<polyline") && html.contains("<rect"))
        #expect(html.contains("A/B &lt;test&gt; &amp; more"))

        let shown = numbers(html)
        var checked = 0
        func check(_ key: String, _ value: Double, _ format: (Double) -> String = ReportFormat.v) {
            #expect(shown[key] == format(value), "\(key): \(shown[key] ?? "missing") vs \(value)")
            if let s = shown[key], let x = Double(s) { #expect(abs(x - value) <= 5e-5, "\(key)") }
            checked += 1
        }
        for (scope, results) in [("all", report.results)] + report.segments.map({ ($0.segment, $0.results) }) {
            for r in results {
                for s in report.systems { check("mean|\(scope)|\(r.metric)|\(s)", r.means[s]!) }
                for p in r.pairs {
                    let k = "pair|\(scope)|\(r.metric)|\(p.baseline)|\(p.system)|"
                    check(k + "diff", p.diff)
                    check(k + "ci_low", p.ciLow)
                    check(k + "ci_high", p.ciHigh)
                    if let e = p.effectSize { check(k + "effect_size", e) }
                    check(k + "p_randomization", p.pRandomization, ReportFormat.p)
                    check(k + "p_t", p.pT, ReportFormat.p)
                    check(k + "p_holm", p.pHolm, ReportFormat.p)
                }
            }
        }
        check("offpolicy|ips", offPolicy.ips)
        check("offpolicy|snips", offPolicy.snips)
        check("offpolicy|effective_sample_size", offPolicy.effectiveSampleSize)
        #expect(checked >= 2 * 2 * (3 + 2 * 6) + 3)
        // The JSON written beside the page decodes to the same value.
        let json = try report.jsonString()
        #expect(try JSONDecoder().decode(ComparisonReport.self, from: Data(json.utf8)) == report)
        #expect(json.contains("\"p_holm\"") && json.contains("\"ci_low\""))
        // Significance marks: B beats the baseline on ndcg@10.
        #expect(report.result("ndcg@10")?.pair("B")?.verdict == .better)
        #expect(html.contains("<span class=\"sig\">†</span>"))
    }

    /// The per-system off-policy table, extra tables and notes (what `compare --config` and
    /// `tune` add) are well-formed and show the numbers of the report value that report.json holds.
    @Test func perSystemOffPolicyTablesAndNotesRender() throws {
        var report = try sampleReport()
        let log = SyntheticLog(lists: 300, seed: 8)
        let e = try OffPolicy.estimate(events: log.events, newLists: log.newLists, options: OffPolicyOptions(bootstrapResamples: 100, seed: 8))
        report.offPolicy = ["B": e, "base & <old>": e]
        report.description = "Data <x> & split"
        report.tables = [ReportTable(title: "Tuned <parameters>", columns: ["parameter", "default", "tuned"],
                                     rows: [["weights.content", "0.6", "0.8"]])]
        report.notes = ["segments & <clusters>"]
        let html = ReportHTML.render(report: report)
        #expect(XMLCheck.problems(html).isEmpty, "\(XMLCheck.problems(html).prefix(3))")
        let shown = numbers(html)
        for s in ["B", "base & <old>"] {
            #expect(shown["offpolicy|\(s)|ips"] == ReportFormat.v(e.ips))
            #expect(shown["offpolicy|\(s)|snips"] == ReportFormat.v(e.snips))
            #expect(shown["offpolicy|\(s)|effective_sample_size"] == ReportFormat.v(e.effectiveSampleSize))
        }
        #expect(html.contains("Tuned &lt;parameters&gt;") && html.contains("<td>weights.content</td>"))
        #expect(html.contains("segments &amp; &lt;clusters&gt;") && html.contains("Data &lt;x&gt; &amp; split"))
        let md = ReportMarkdown.render(report: report)
        #expect(md.contains("| weights.content | 0.6 | 0.8 |") && md.contains("## Off-policy estimates"))
        let json = try report.jsonString()
        #expect(try JSONDecoder().decode(ComparisonReport.self, from: Data(json.utf8)) == report)
        #expect(json.contains("\"off_policy\"") && json.contains("\"tables\""))
    }

    @Test func untrustworthyOffPolicyIsExplained() throws {
        let report = try sampleReport()
        let log = SyntheticLog(lists: 40, seed: 2)
        let e = try OffPolicy.estimate(events: log.events, newLists: log.newLists, options: OffPolicyOptions(bootstrapResamples: 20))
        #expect(!e.trustworthy)
        let html = ReportHTML.render(report: report, offPolicy: e)
        #expect(XMLCheck.problems(html).isEmpty)
        #expect(html.contains("not trustworthy"))
        let md = ReportMarkdown.render(report: report, offPolicy: e)
        #expect(md.contains("not trustworthy") && md.contains("| metric | baseline | system |"))
        #expect(md.contains("base & <old>") && md.contains("r<&>\"'"))
        #expect(md.contains("†"))
    }

    /// PAPERFEED_REPORT_SAMPLE=DIR writes report.html, report.md, report.json and the charts
    /// of a sample comparison there (for looking at the page).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PAPERFEED_REPORT_SAMPLE"] != nil))
    func writeSample() throws {
        let dir = ProcessInfo.processInfo.environment["PAPERFEED_REPORT_SAMPLE"]!
        let report = try sampleReport()
        let qrels = try TrecFormat.readQrels(path: Fixture.path("graded-ties", "qrels"))
        let run = try TrecFormat.readRun(path: Fixture.path("graded-ties", "run"))
        var shifted = run
        for (u, items) in run.lists { shifted.lists[u] = items.reversed().enumerated().map { .init(paper: $1.paper, score: Double($0)) } }
        let curves = MetricCurves.curves(["base & <old>": run, "B": shifted], qrels: qrels, kind: .ndcg, maxK: 100)
        let log = SyntheticLog(lists: 300, seed: 4)
        let e = try OffPolicy.estimate(events: log.events, newLists: log.newLists)
        let html = ReportHTML.render(report: report, curves: curves, histogram: .init(metric: "ndcg@10", system: "B"),
                                     offPolicy: e)
        try html.write(toFile: dir + "/report.html", atomically: true, encoding: .utf8)
        try ReportMarkdown.render(report: report, offPolicy: e).write(toFile: dir + "/report.md", atomically: true, encoding: .utf8)
        try report.write(to: dir + "/report.json")
        try SVGChart.lineChart(curves, order: report.systems, title: "nDCG@k", yLabel: "nDCG@k")
            .write(toFile: dir + "/curves.svg", atomically: true, encoding: .utf8)
        let d = report.result("ndcg@10")!.pair("B")!.differences!
        try SVGChart.histogram(d, title: "diff", xLabel: "B − base").write(toFile: dir + "/hist.svg", atomically: true, encoding: .utf8)
    }

    @Test func checkerRejectsBrokenMarkup() {
        #expect(!XMLCheck.problems("<html><br></html>").isEmpty)
        #expect(!XMLCheck.problems("<html><p>a & b</p></html>").isEmpty)
        #expect(!XMLCheck.problems("<html><p><b></p></b></html>").isEmpty)
        #expect(!XMLCheck.problems("<html><p>").isEmpty)
        #expect(XMLCheck.problems("<!DOCTYPE html>\n<html><br/><p a=\"1 &amp; 2\">x &lt; y</p></html>").isEmpty)
    }

    @Test func curvesEqualTheEvaluatorAtEachCutoff() throws {
        let qrels = try TrecFormat.readQrels(path: Fixture.path("graded-ties", "qrels"))
        let run = try TrecFormat.readRun(path: Fixture.path("graded-ties", "run"))
        let evaluator = Evaluator(qrels: qrels)
        let ndcg = MetricCurves.curve(run, evaluator: evaluator, kind: .ndcg, maxK: 30)
        let recall = MetricCurves.curve(run, evaluator: evaluator, kind: .recall, maxK: 30)
        #expect(ndcg.count == 30 && recall.count == 30)
        for k in [1, 2, 3, 5, 10, 20, 30] {
            let means = evaluator.evaluate(run, metrics: [.ndcg(cutoff: k), .recall(cutoff: k)]).means
            #expect(abs(ndcg[k]! - means[0]) < 1e-12, "ndcg@\(k)")
            #expect(abs(recall[k]! - means[1]) < 1e-12, "recall@\(k)")
        }
        let both = MetricCurves.curves(["x": run], qrels: qrels, kind: .ndcg, maxK: 30)
        #expect(both["x"] == ndcg)
        let svg = SVGChart.lineChart(both, title: "t", yLabel: "nDCG@k")
        #expect(XMLCheck.problems(svg).isEmpty)
    }

    /// The difference histogram has a bin centred on 0: zero differences fall in its middle.
    @Test func histogramHasABinCentredOnZero() {
        let values = [-0.3, -0.1, 0, 0, 0, 0.04, 0.2, 0.5]
        let h = HistogramBins(values, bins: 8)
        #expect(h.width == 0.8 / 8)
        let (lo, hi) = h.edges(h.zeroBin)
        #expect(abs(lo + h.width / 2) < 1e-15 && abs(hi - h.width / 2) < 1e-15)
        #expect(h.counts[h.zeroBin] == 4)  // the three zeros and 0.04, all in [−0.05, 0.05)
        #expect(h.counts.reduce(0, +) == values.count)
        // Only positive values: the grid still reaches 0 with a centred bin.
        let p = HistogramBins([0.2, 0.4, 1.0], bins: 5)
        #expect(p.first == 0 && p.edges(0) == (-0.1, 0.1))
        // All zeros: one bin around 0.
        let z = HistogramBins([0, 0, 0])
        #expect(z.counts == [3] && z.edges(0).0 < 0 && z.edges(0).1 > 0)
        #expect(SVGChart.histogram(values, bins: 8, title: "t", xLabel: "x").contains("stroke-dasharray"))
    }
}
