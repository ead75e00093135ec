import Foundation

/// One self-contained HTML page for a comparison: inline CSS and inline SVG, no network.
///
/// The page is XHTML-style (every element closed, void elements written `<meta …/>`, all
/// text and attribute values escaped) so that an XML parser accepts it. Every number in its
/// tables is formatted (`ReportFormat`) from the `ComparisonReport` / `OffPolicyEstimate`
/// passed in — the values report.json is written from — and each such cell carries a
/// `data-key` naming the value (`mean|all|ndcg@10|B`, `pair|all|ndcg@10|A|B|p_holm`,
/// `offpolicy|ips`, …; `all` or the segment name second) so tests and tools can check it.
public enum ReportHTML {
    /// Which pair's per-reader differences to draw as a histogram.
    public struct Histogram: Sendable, Hashable {
        public var metric: String
        public var system: String
        public var baseline: String?
        public var bins: Int
        public init(metric: String, system: String, baseline: String? = nil, bins: Int = 20) {
            self.metric = metric
            self.system = system
            self.baseline = baseline
            self.bins = bins
        }
    }

    public static func render(report: ComparisonReport, curves: [String: [Int: Double]] = [:],
                              histogram: Histogram? = nil, offPolicy: OffPolicyEstimate? = nil,
                              title: String = "System comparison", curveLabel: String = "nDCG@k") -> String {
        var out = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
        out += "<meta charset=\"utf-8\"/>\n<title>\(escape(title))</title>\n<style>\(css)</style>\n</head>\n<body>\n"
        out += "<h1>\(escape(title))</h1>\n"
        if let d = report.description { out += "<p>\(escape(d))</p>\n" }
        out += "<p>Baseline: <b>\(escape(report.baseline))</b>. α = \(ReportFormat.p(report.alpha)); "
            + "† marks a Holm-adjusted randomization p-value below α (family: all metrics × pairs of the reader set). "
            + "\(report.permutations) sign-flip permutations, \(report.bootstrapResamples) bootstrap resamples "
            + "(\(ReportFormat.g(report.confidenceLevel * 100))% percentile intervals), seed \(report.seed), "
            + "missing readers: \(escape(report.missing)).</p>\n"
        out += "<h2>All readers</h2>\n" + tables(report.results, scope: "all", report: report)
        if !curves.isEmpty {
            out += "<h2>\(escape(curveLabel)) by cut-off</h2>\n<div class=\"chart\">\n"
            out += SVGChart.lineChart(curves, order: report.systems, title: curveLabel + " per system",
                                      yLabel: curveLabel) + "</div>\n"
        }
        if let h = histogram {
            let pair = report.result(h.metric)?.pair(h.system, baseline: h.baseline ?? report.baseline)
            out += "<h2>Per-reader differences: \(escape(h.metric)), \(escape(h.system)) − "
                + "\(escape(h.baseline ?? report.baseline))</h2>\n"
            if let d = pair?.differences {
                out += "<div class=\"chart\">\n" + SVGChart.histogram(d, bins: h.bins, title: "\(h.metric) difference per reader",
                                                                     xLabel: "\(h.system) − \(h.baseline ?? report.baseline)")
                    + "</div>\n"
            } else {
                out += "<p>No per-reader differences in the report (pair not compared, or keepDifferences off).</p>\n"
            }
        }
        if let o = offPolicy { out += offPolicyTable(o) }
        if !report.offPolicy.isEmpty { out += offPolicyTable(report.offPolicy, order: report.systems) }
        for t in report.tables {
            out += "<h2>\(escape(t.title))</h2>\n<table>\n<thead><tr>" + t.columns.map { "<th>\(escape($0))</th>" }.joined()
                + "</tr></thead>\n<tbody>\n"
            for row in t.rows { out += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
            out += "</tbody>\n</table>\n"
        }
        for s in report.segments {
            out += "<h2>Segment \(escape(s.segment)) (\(s.readers) readers)</h2>\n"
            out += tables(s.results, scope: s.segment, report: report)
        }
        if let p = report.provenance { out += p.html(systems: report.systems) }
        if !report.notes.isEmpty {
            out += "<h2>Notes</h2>\n<ul>\n" + report.notes.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n"
        }
        return out + "</body>\n</html>\n"
    }

    static func tables(_ results: [MetricComparison], scope: String, report: ComparisonReport) -> String {
        var out = "<table>\n<thead><tr><th>metric</th><th>readers</th>"
        for s in report.systems { out += "<th>\(escape(s))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for r in results {
            out += "<tr><td>\(escape(r.metric))</td><td class=\"num\">\(r.readers)</td>"
            for s in report.systems {
                let sig = r.pair(s, baseline: report.baseline)?.isSignificant(alpha: report.alpha) == true
                out += "<td class=\"num\">" + number(ReportFormat.v(r.means[s] ?? 0), key: ["mean", scope, r.metric, s])
                    + (sig ? "<span class=\"sig\">†</span>" : "") + "</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n<table>\n<thead><tr><th>metric</th><th>baseline</th><th>system</th><th>diff</th>"
            + "<th>CI low</th><th>CI high</th><th>effect size</th><th>p rand</th><th>p t</th><th>p Holm</th>"
            + "<th>verdict</th></tr></thead>\n<tbody>\n"
        for r in results {
            for p in r.pairs {
                let k = ["pair", scope, r.metric, p.baseline, p.system]
                out += "<tr><td>\(escape(r.metric))</td><td>\(escape(p.baseline))</td><td>\(escape(p.system))</td>"
                out += "<td class=\"num\">" + number(ReportFormat.v(p.diff), key: k + ["diff"]) + "</td>"
                out += "<td class=\"num\">" + number(ReportFormat.v(p.ciLow), key: k + ["ci_low"]) + "</td>"
                out += "<td class=\"num\">" + number(ReportFormat.v(p.ciHigh), key: k + ["ci_high"]) + "</td>"
                out += "<td class=\"num\">" + (p.effectSize.map { number(ReportFormat.v($0), key: k + ["effect_size"]) } ?? "–") + "</td>"
                out += "<td class=\"num\">" + number(ReportFormat.p(p.pRandomization), key: k + ["p_randomization"]) + "</td>"
                out += "<td class=\"num\">" + number(ReportFormat.p(p.pT), key: k + ["p_t"]) + "</td>"
                out += "<td class=\"num\">" + number(ReportFormat.p(p.pHolm), key: k + ["p_holm"])
                    + (p.isSignificant(alpha: report.alpha) ? "<span class=\"sig\">†</span>" : "") + "</td>"
                let css = p.verdict == .noSignificantDifference ? "nsd" : p.verdict.rawValue
                out += "<td class=\"\(css)\">\(p.verdict.words)</td></tr>\n"
            }
        }
        return out + "</tbody>\n</table>\n"
    }

    static func offPolicyTable(_ o: OffPolicyEstimate) -> String {
        var out = "<h2>Off-policy estimate of the new ranker's click-through</h2>\n<table>\n"
        out += "<thead><tr><th>estimator</th><th>value</th><th>CI low</th><th>CI high</th></tr></thead>\n<tbody>\n"
        out += "<tr><td>IPS</td><td class=\"num\">\(number(ReportFormat.v(o.ips), key: ["offpolicy", "ips"]))</td>"
            + "<td class=\"num\">\(number(ReportFormat.v(o.ipsCILow), key: ["offpolicy", "ips_ci_low"]))</td>"
            + "<td class=\"num\">\(number(ReportFormat.v(o.ipsCIHigh), key: ["offpolicy", "ips_ci_high"]))</td></tr>\n"
        out += "<tr><td>SNIPS</td><td class=\"num\">\(number(ReportFormat.v(o.snips), key: ["offpolicy", "snips"]))</td>"
            + "<td class=\"num\">\(number(ReportFormat.v(o.snipsCILow), key: ["offpolicy", "snips_ci_low"]))</td>"
            + "<td class=\"num\">\(number(ReportFormat.v(o.snipsCIHigh), key: ["offpolicy", "snips_ci_high"]))</td></tr>\n"
        out += "</tbody>\n</table>\n<p>Effective sample size "
            + number(ReportFormat.v(o.effectiveSampleSize), key: ["offpolicy", "effective_sample_size"])
            + " of \(o.impressions) impressions (\(o.matched) matched, \(o.clicks) clicks, \(o.skippedImpressions) skipped); "
        out += o.trustworthy ? "trustworthy (ESS ≥ \(ReportFormat.g(o.essThreshold))).</p>\n"
            : "<b>not trustworthy</b>: \(escape(o.reason ?? "")).</p>\n"
        return out
    }

    /// One row per system: IPS and SNIPS with their intervals, ESS, and whether to trust it.
    static func offPolicyTable(_ estimates: [String: OffPolicyEstimate], order: [String]) -> String {
        var out = "<h2>Off-policy estimate of each system's click-through (logged impressions)</h2>\n<table>\n"
        out += "<thead><tr><th>system</th><th>IPS</th><th>IPS CI</th><th>SNIPS</th><th>SNIPS CI</th><th>ESS</th>"
            + "<th>matched</th><th>trust</th></tr></thead>\n<tbody>\n"
        for s in order {
            guard let o = estimates[s] else { continue }
            let k = ["offpolicy", s]
            out += "<tr><td>\(escape(s))</td><td class=\"num\">\(number(ReportFormat.v(o.ips), key: k + ["ips"]))</td>"
                + "<td class=\"num\">\(number(ReportFormat.v(o.ipsCILow), key: k + ["ips_ci_low"])) – "
                + "\(number(ReportFormat.v(o.ipsCIHigh), key: k + ["ips_ci_high"]))</td>"
                + "<td class=\"num\">\(number(ReportFormat.v(o.snips), key: k + ["snips"]))</td>"
                + "<td class=\"num\">\(number(ReportFormat.v(o.snipsCILow), key: k + ["snips_ci_low"])) – "
                + "\(number(ReportFormat.v(o.snipsCIHigh), key: k + ["snips_ci_high"]))</td>"
                + "<td class=\"num\">\(number(ReportFormat.v(o.effectiveSampleSize), key: k + ["effective_sample_size"]))</td>"
                + "<td class=\"num\">\(o.matched) / \(o.impressions)</td>"
                + "<td>\(o.trustworthy ? "trustworthy" : "<b>not trustworthy</b>: " + escape(o.reason ?? ""))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    static func number(_ text: String, key: [String]) -> String {
        "<span data-key=\"\(escape(key.joined(separator: "|")))\">\(escape(text))</span>"
    }

    /// Escapes text and attribute values: & < > " '.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    public static let css = """
        body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
        table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px}
        th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .sig{color:#b00;margin-left:2px}td.better{color:#070}td.worse{color:#b00}.chart{margin:1em 0}
        """
}
