import Foundation

/// Markdown rendering of a `ComparisonReport` (and optionally an off-policy estimate).
///
/// Numbers: means, differences and interval ends with 4 decimals, p-values with 4 decimals
/// (`ReportFormat`). A † follows a system's mean when its Holm-adjusted randomization p-value
/// against the baseline is < α.
public enum ReportMarkdown {
    public static func render(report: ComparisonReport, offPolicy: OffPolicyEstimate? = nil,
                              title: String = "System comparison") -> String {
        var out = "# \(cell(title))\n\n"
        out += "Baseline: \(cell(report.baseline)); α = \(ReportFormat.p(report.alpha)); † = Holm-adjusted "
            + "randomization p < α; \(report.permutations) permutations, \(report.bootstrapResamples) bootstrap "
            + "resamples, seed \(report.seed).\n\n"
        if let d = report.description { out += cell(d) + "\n\n" }
        out += section(report.results, report: report)
        if !report.offPolicy.isEmpty {
            out += "## Off-policy estimates (logged impressions)\n\n| system | IPS | IPS CI | SNIPS | SNIPS CI | ESS | matched | trust |\n"
            out += "|---|---:|---:|---:|---:|---:|---:|---|\n"
            for s in report.systems {
                guard let o = report.offPolicy[s] else { continue }
                out += "| \(cell(s)) | \(ReportFormat.v(o.ips)) | \(ReportFormat.v(o.ipsCILow)) – \(ReportFormat.v(o.ipsCIHigh)) | "
                    + "\(ReportFormat.v(o.snips)) | \(ReportFormat.v(o.snipsCILow)) – \(ReportFormat.v(o.snipsCIHigh)) | "
                    + "\(ReportFormat.v(o.effectiveSampleSize)) | \(o.matched) / \(o.impressions) | "
                    + (o.trustworthy ? "trustworthy" : "not trustworthy: " + cell(o.reason ?? "")) + " |\n"
            }
            out += "\n"
        }
        for t in report.tables {
            out += "## \(cell(t.title))\n\n| " + t.columns.map(cell).joined(separator: " | ") + " |\n|"
                + String(repeating: "---|", count: t.columns.count) + "\n"
            for row in t.rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        for segment in report.segments {
            out += "## Segment \(cell(segment.segment)) (\(segment.readers) readers)\n\n"
            out += section(segment.results, report: report)
        }
        if let offPolicy {
            out += "## Off-policy estimate\n\n| estimator | value | CI low | CI high |\n|---|---:|---:|---:|\n"
            out += "| IPS | \(ReportFormat.v(offPolicy.ips)) | \(ReportFormat.v(offPolicy.ipsCILow)) | "
                + "\(ReportFormat.v(offPolicy.ipsCIHigh)) |\n"
            out += "| SNIPS | \(ReportFormat.v(offPolicy.snips)) | \(ReportFormat.v(offPolicy.snipsCILow)) | "
                + "\(ReportFormat.v(offPolicy.snipsCIHigh)) |\n\n"
            out += "ESS = \(ReportFormat.v(offPolicy.effectiveSampleSize)) over \(offPolicy.impressions) impressions; "
                + (offPolicy.trustworthy ? "trustworthy.\n" : "not trustworthy: \(cell(offPolicy.reason ?? "")).\n")
        }
        if let p = report.provenance { out += "## Provenance\n\n" + p.markdown(systems: report.systems) + "\n" }
        if !report.notes.isEmpty { out += "## Notes\n\n" + report.notes.map { "- " + cell($0) + "\n" }.joined() + "\n" }
        return out
    }

    static func section(_ results: [MetricComparison], report: ComparisonReport) -> String {
        var out = "| metric | readers | " + report.systems.map(cell).joined(separator: " | ") + " |\n"
        out += "|---|---:|" + String(repeating: "---:|", count: report.systems.count) + "\n"
        for r in results {
            let means = report.systems.map { s -> String in
                let mark = r.pair(s, baseline: report.baseline)?.isSignificant(alpha: report.alpha) == true ? " †" : ""
                return ReportFormat.v(r.means[s] ?? 0) + mark
            }
            out += "| \(cell(r.metric)) | \(r.readers) | " + means.joined(separator: " | ") + " |\n"
        }
        out += "\n| metric | baseline | system | diff | CI low | CI high | effect | p rand | p t | p Holm | verdict |\n"
        out += "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
        for r in results {
            for p in r.pairs {
                out += "| \(cell(r.metric)) | \(cell(p.baseline)) | \(cell(p.system)) | \(ReportFormat.v(p.diff)) | "
                    + "\(ReportFormat.v(p.ciLow)) | \(ReportFormat.v(p.ciHigh)) | \(p.effectSize.map(ReportFormat.v) ?? "–") | "
                    + "\(ReportFormat.p(p.pRandomization)) | \(ReportFormat.p(p.pT)) | \(ReportFormat.p(p.pHolm)) | "
                    + "\(p.verdict.words)\(p.isSignificant(alpha: report.alpha) ? " †" : "") |\n"
            }
        }
        return out + "\n"
    }

    /// A table cell: `|` escaped, newlines as spaces.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}

/// Number formatting shared by the Markdown and HTML reports.
public enum ReportFormat {
    /// Values (means, differences, interval ends, effect sizes): 4 decimals.
    public static func v(_ x: Double) -> String { x.isFinite ? String(format: "%.4f", x) : "\(x)" }
    /// Settings (levels, thresholds): the shortest exact form (`95`, `0.5`, `100`).
    public static func g(_ x: Double) -> String { String(format: "%g", x) }
    /// p-values: 4 decimals.
    public static func p(_ x: Double) -> String { String(format: "%.4f", x) }
}
