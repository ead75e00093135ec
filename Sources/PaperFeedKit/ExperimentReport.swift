import Foundation
import PaperFeedCore
import PaperFeedEvaluation

/// The result of an experiment, as written to `report.json` (sorted keys) and `report.md`.
///
/// `systems[].mean[metric]` is the arithmetic mean over the `users` evaluated readers (readers
/// with judgments and a list; readers with an empty test set are not evaluated).
public struct ExperimentReport: Sendable, Codable, SchemaVersioned {
    public struct SystemResult: Sendable, Codable {
        public var name: String
        /// Readers evaluated (the denominator of the means).
        public var users: Int
        /// Metric → mean over evaluated readers.
        public var mean: [String: Double]
        /// Wall-clock seconds to fit the system and rank its readers.
        public var seconds: Double
        /// TREC run file, relative to the report folder.
        public var runFile: String?
    }

    public var schemaVersion = Schema.version
    public var name: String
    public var description: String?
    public var data: String
    public var split: String
    public var k: Int
    public var seed: UInt64
    public var metrics: [String]
    /// Readers with at least one judgment, and (reader, paper) judgments in `qrels.txt`.
    public var judgedUsers: Int
    public var judgments: Int
    public var systems: [SystemResult]
    public var published: [ExperimentConfiguration.Published]
    public var notes: [String]
    public var secondsTotal: Double
    /// The report folder.
    public var directory: String
    /// Version, commit, checksums of the experiment file and the data, date, file links.
    public var provenance: ReportProvenance? = nil

    public func jsonData() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return try e.encode(self)
    }

    /// The report as Markdown: our systems, then the published numbers beside them.
    public func markdown() -> String {
        var s = "# Experiment \(name)\n\n"
        if let description { s += description + "\n\n" }
        s += "- data: \(data)\n- split: \(split)\n- judged readers: \(judgedUsers), judgments: \(judgments)\n"
        s += "- list length k = \(k), seed = \(seed); metrics by trec_eval conventions (PaperFeedEvaluation), "
        s += "means over the evaluated readers\n- total run time: \(String(format: "%.1f", secondsTotal)) s\n\n"
        s += "## Results\n\n| system | readers | " + metrics.joined(separator: " | ") + " | seconds |\n"
        s += "|---|---:|" + String(repeating: "---:|", count: metrics.count) + "---:|\n"
        for r in systems {
            s += "| \(r.name) | \(r.users) | " + metrics.map { String(format: "%.4f", r.mean[$0] ?? 0) }.joined(separator: " | ")
            s += " | \(String(format: "%.1f", r.seconds)) |\n"
        }
        if !published.isEmpty {
            let keys = Array(Set(published.flatMap(\.values.keys))).sorted()
            s += "\n## Published numbers (same splits)\n\n| system | " + keys.joined(separator: " | ") + " | source |\n"
            s += "|---|" + String(repeating: "---:|", count: keys.count) + "---|\n"
            for p in published {
                s += "| \(p.system) | " + keys.map { p.values[$0] ?? "–" }.joined(separator: " | ") + " | \(p.source ?? "") |\n"
            }
        }
        if !notes.isEmpty { s += "\n## Notes\n\n" + notes.map { "- " + $0 }.joined(separator: "\n") + "\n" }
        s += "\n## Files\n\n- [report.json](report.json): per system the mean of each metric and the readers evaluated\n"
        s += "- [qrels.txt](qrels.txt): the judgments (TREC qrels) of the evaluated readers\n"
        for r in systems { if let f = r.runFile { s += "- [\(f)](\(f)): run of \(r.name) (TREC run, top \(k))\n" } }
        s += "\nEvery run file reproduces this table with trec_eval, pytrec_eval, ranx or `paperfeed metrics --qrels qrels.txt "
            + "--run FILE` (list order, strictly decreasing scores: docs/outputs.md).\n"
        if let p = provenance { s += "\n## Provenance\n\n" + p.markdown(systems: systems.map(\.name)) }
        return s
    }
}

extension ExperimentReport {
    /// The report as one self-contained HTML page (inline CSS, no network; XHTML-style so an XML
    /// parser accepts it): the results table (numbers formatted from this value, cells tagged
    /// `data-key="mean|SYSTEM|METRIC"`), published numbers, notes, and the provenance with links
    /// to the run files, the judgments and the experiment file.
    public func html() -> String {
        let e = ReportHTML.escape
        var s = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        s += "<title>Experiment \(e(name))</title>\n<style>\(ReportHTML.css)</style>\n</head>\n<body>\n<h1>Experiment \(e(name))</h1>\n"
        if let description { s += "<p>\(e(description))</p>\n" }
        s += "<ul>\n<li>data: \(e(data))</li>\n<li>split: \(e(split))</li>\n<li>judged readers: \(judgedUsers), judgments: \(judgments)</li>\n"
        s += "<li>list length k = \(k), seed = \(seed); metrics by trec_eval conventions, means over the evaluated readers</li>\n</ul>\n"
        s += "<h2>Results</h2>\n<table>\n<thead><tr><th>system</th><th>readers</th>" + metrics.map { "<th>\(e($0))</th>" }.joined()
            + "<th>run file</th></tr></thead>\n<tbody>\n"
        for r in systems {
            s += "<tr><td>\(e(r.name))</td><td class=\"num\">\(r.users)</td>"
            for m in metrics {
                s += "<td class=\"num\"><span data-key=\"\(e("mean|\(r.name)|\(m)"))\">\(String(format: "%.4f", r.mean[m] ?? 0))</span></td>"
            }
            s += "<td>" + (r.runFile.map { "<a href=\"\(e($0))\">\(e($0))</a>" } ?? "–") + "</td></tr>\n"
        }
        s += "</tbody>\n</table>\n"
        if !published.isEmpty {
            let keys = Array(Set(published.flatMap(\.values.keys))).sorted()
            s += "<h2>Published numbers (same splits)</h2>\n<table>\n<thead><tr><th>system</th>" + keys.map { "<th>\(e($0))</th>" }.joined()
                + "<th>source</th></tr></thead>\n<tbody>\n"
            for p in published {
                s += "<tr><td>\(e(p.system))</td>" + keys.map { "<td class=\"num\">\(e(p.values[$0] ?? "–"))</td>" }.joined()
                    + "<td>\(e(p.source ?? ""))</td></tr>\n"
            }
            s += "</tbody>\n</table>\n"
        }
        if !notes.isEmpty { s += "<h2>Notes</h2>\n<ul>\n" + notes.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n" }
        if let p = provenance { s += p.html(systems: systems.map(\.name)) }
        return s + "</body>\n</html>\n"
    }
}
