import Foundation
import PaperFeedCore
import PaperFeedIO
import TopicModel

/// The nightly job's settings (`paperfeed nightly --config FILE`; JSON, snake_case keys, every
/// key optional; docs/outputs.md "nightly"). Paths are relative to the current directory.
public struct NightlyConfiguration: Sendable, Codable, Equatable {
    public struct Fit: Sendable, Codable, Equatable {
        public var dims = 128
        public var minDf = 2
        public var maxDf = 0.5
        public var seed: UInt64 = 42
    }

    public struct Refuse: Sendable, Codable, Equatable {
        /// Refuse when the newest paper in the store is more than this many days before as-of.
        public var maxStalenessDays = 3.0
        /// Refuse to publish when the previous run's `quality_metric` (nDCG@10 or CTR@k by the
        /// logged reads) is lower than the night before's by more than this (absolute); nil = off.
        public var maxQualityDrop: Double? = nil
        /// `ndcg@10` or `ctr@k`.
        public var qualityMetric = "ndcg@10"
    }

    public var schemaVersion: Int? = Schema.version
    public var db = "out/nightly/paperfeed.sqlite"
    public var model = "out/nightly/model"
    /// Folder with `papers/`, `upvotes/`, `events/` (files in name order; a file already
    /// ingested, by SHA-256, is skipped). Paper files named `*.arxiv.jsonl[.gz]` are read as
    /// arXiv listings, `*.txt` as Daily Papers pages, others by their extension.
    public var inbox = "out/nightly/inbox"
    /// Published nights: `PUBLISH/NIGHT/` (the export) and `PUBLISH/latest` (a symlink).
    public var publish = "out/nightly/published"
    /// Ranking configuration file (default: the built-in defaults).
    public var ranking: String? = nil
    /// Learn the ranker each night (`paperfeed learn`) and rank with it; false: the hand-set blend of `ranking`.
    public var learn = true
    public var k = 100
    /// The k of CTR@k and coverage when yesterday's lists are judged.
    public var evaluateK = 10
    public var formats: [String] = ["jsonl", "atom", "html"]
    /// Complete runs (and published nights) kept; older ones are pruned. At least 2 (the
    /// previous night's run is evaluated).
    public var keepRuns = 7
    /// As `ingest --max-rejects`: N or P%; nil = no limit.
    public var maxRejects: String? = nil
    public var fit = Fit()
    public var refit = FoldInPipeline.Thresholds()
    public var refuse = Refuse()

    public init() {}

    /// Reads a configuration file (nil: the defaults). Unknown keys are an error.
    public static func load(path: String?) throws -> NightlyConfiguration {
        guard let path else { return NightlyConfiguration() }
        guard let data = FileManager.default.contents(atPath: path) else { throw KitError.notFound("\(path): no such nightly configuration") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let c: NightlyConfiguration
        do {
            try checkKeys(data, source: path)
            // Missing keys take the defaults: the file's object is merged over the defaults' object.
            var merged = try JSONSerialization.jsonObject(with: encoder.encode(NightlyConfiguration())) as! [String: Any]
            for (key, value) in try JSONSerialization.jsonObject(with: data) as! [String: Any] {
                if var section = merged[key] as? [String: Any], let given = value as? [String: Any] {
                    for (k, v) in given { section[k] = v }
                    merged[key] = section
                } else {
                    merged[key] = value
                }
            }
            c = try decoder.decode(NightlyConfiguration.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let e as KitError {
            throw e
        } catch {
            throw KitError.invalid("\(path): not a valid nightly configuration: \(error)")
        }
        if let problem = c.problems().first { throw KitError.invalid("\(path): \(problem)") }
        return c
    }

    /// Unknown keys (top level and in `fit`, `refit`, `refuse`) are an error naming them.
    static func checkKeys(_ data: Data, source: String) throws {
        guard let top = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw KitError.invalid("\(source): a nightly configuration is one JSON object")
        }
        let known: [String: Set<String>] = [
            "": ["schema_version", "db", "model", "inbox", "publish", "ranking", "k", "evaluate_k", "formats", "keep_runs",
                 "max_rejects", "fit", "refit", "refuse"],
            "fit": ["dims", "min_df", "max_df", "seed"], "refit": ["max_folded_in_share", "max_vocabulary_drift"],
            "refuse": ["max_staleness_days", "max_quality_drop", "quality_metric"],
        ]
        func check(_ object: [String: Any], _ section: String) throws {
            for key in object.keys.sorted() where !known[section]!.contains(key) {
                throw KitError.invalid("\(source): unknown key \"\(section.isEmpty ? "" : section + ".")\(key)\"; known: "
                    + known[section]!.sorted().joined(separator: ", "))
            }
        }
        try check(top, "")
        for section in ["fit", "refit", "refuse"] { if let o = top[section] as? [String: Any] { try check(o, section) } }
    }

    func problems() -> [String] {
        var out: [String] = []
        if let v = schemaVersion, v != Schema.version { out.append("schema_version \(v) is not supported; this build reads \(Schema.version)") }
        if k < 1 { out.append("k must be ≥ 1") }
        if evaluateK < 1 { out.append("evaluate_k must be ≥ 1") }
        if keepRuns < 2 { out.append("keep_runs must be ≥ 2 (the previous night's run is evaluated)") }
        for f in formats where ExportPipeline.Format(rawValue: f) == nil { out.append("formats: \(f) is not jsonl, atom or html") }
        if let m = maxRejects, PaperFeedIO.RejectLimit(parsing: m) == nil { out.append("max_rejects \(m): a count N or a share P%") }
        if fit.dims < 1 { out.append("fit.dims must be ≥ 1") }
        if !(fit.maxDf > 0 && fit.maxDf <= 1) { out.append("fit.max_df must be in (0, 1]") }
        if !["ndcg@10", "ctr@k"].contains(refuse.qualityMetric) { out.append("refuse.quality_metric is ndcg@10 or ctr@k") }
        return out
    }

    var topicModelConfiguration: TopicModelConfiguration {
        var c = TopicModelConfiguration()
        c.dimensions = fit.dims
        c.minDocumentFrequency = fit.minDf
        c.maxDocumentFrequency = fit.maxDf
        c.seed = fit.seed
        return c
    }
}
