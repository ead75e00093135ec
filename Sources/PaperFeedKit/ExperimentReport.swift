import Foundation

/// The result of an experiment, as written to `report.json` (sorted keys) and `report.md`.
///
/// `systems[].mean[metric]` is the arithmetic mean over the `users` evaluated readers (readers
/// with judgments and a list; readers with an empty test set are not evaluated).
public struct ExperimentReport: Sendable, Codable {
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
        s += "\n## Files\n\n- `report.json`: per system the mean of each metric and the readers evaluated\n"
        s += "- `qrels.txt`: the judgments (TREC qrels)\n"
        for r in systems { if let f = r.runFile { s += "- `\(f)`: run of \(r.name) (TREC run, top \(k))\n" } }
        return s
    }
}
