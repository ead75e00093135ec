import Foundation
import PaperFeedCore

/// The result of `Comparison.compare` / `paperfeed compare`: what report.json holds and what
/// the Markdown and HTML renderings print (they read only this value).
///
/// JSON keys are snake_case and sorted (`jsonString()`); numbers are the exact doubles.
public struct ComparisonReport: Codable, Sendable, Hashable, SchemaVersioned {
    /// `schema_version` of report.json (docs/outputs.md).
    public var schemaVersion = Schema.version
    /// Version, commit, checksums, date and file links (set by the pipelines that write reports).
    public var provenance: ReportProvenance?
    /// System names; the first is the baseline.
    public var systems: [String]
    public var metrics: [String]
    public var alpha: Double
    public var permutations: Int
    public var bootstrapResamples: Int
    public var confidenceLevel: Double
    public var seed: UInt64
    /// The missing-reader rule (`error`, `countAsZero`, `dropReader`).
    public var missing: String
    /// All readers: one entry per metric, in `metrics` order.
    public var results: [MetricComparison]
    /// The same per segment (segment names in byte order); its own Holm family each.
    public var segments: [SegmentComparison]
    /// What was compared (data, split, judgments), shown above the tables.
    public var description: String?
    /// Remarks printed under the tables (e.g. how segments and off-policy logs were built).
    public var notes: [String] = []
    /// System name → off-policy estimate of its click-through from the logged impressions
    /// (`OffPolicy`), where the logs carry the logging policy's propensities.
    public var offPolicy: [String: OffPolicyEstimate] = [:]
    /// Further tables shown after the comparison (e.g. the tuned parameters), cells as printed.
    public var tables: [ReportTable] = []

    public var baseline: String { systems[0] }

    enum CodingKeys: String, CodingKey {
        case systems, metrics, alpha, permutations, seed, missing, results, segments, description, notes
        case offPolicy = "off_policy", tables
        case schemaVersion = "schema_version", provenance
        case bootstrapResamples = "bootstrap_resamples"
        case confidenceLevel = "confidence_level"
    }

    public init(systems: [String], metrics: [String], alpha: Double, permutations: Int, bootstrapResamples: Int,
                confidenceLevel: Double, seed: UInt64, missing: String, results: [MetricComparison],
                segments: [SegmentComparison]) {
        self.systems = systems
        self.metrics = metrics
        self.alpha = alpha
        self.permutations = permutations
        self.bootstrapResamples = bootstrapResamples
        self.confidenceLevel = confidenceLevel
        self.seed = seed
        self.missing = missing
        self.results = results
        self.segments = segments
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        systems = try c.decode([String].self, forKey: .systems)
        metrics = try c.decode([String].self, forKey: .metrics)
        alpha = try c.decode(Double.self, forKey: .alpha)
        permutations = try c.decode(Int.self, forKey: .permutations)
        bootstrapResamples = try c.decode(Int.self, forKey: .bootstrapResamples)
        confidenceLevel = try c.decode(Double.self, forKey: .confidenceLevel)
        seed = try c.decode(UInt64.self, forKey: .seed)
        missing = try c.decode(String.self, forKey: .missing)
        results = try c.decode([MetricComparison].self, forKey: .results)
        segments = try c.decode([SegmentComparison].self, forKey: .segments)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
        offPolicy = try c.decodeIfPresent([String: OffPolicyEstimate].self, forKey: .offPolicy) ?? [:]
        tables = try c.decodeIfPresent([ReportTable].self, forKey: .tables) ?? []
        schemaVersion = try c.decodeIfPresent(Int.self, forKey: .schemaVersion) ?? Schema.version
        provenance = try c.decodeIfPresent(ReportProvenance.self, forKey: .provenance)
    }

    /// The overall entry of one metric.
    public func result(_ metric: String) -> MetricComparison? { results.first { $0.metric == metric } }

    /// JSON with sorted keys (byte-stable for the same input).
    public func jsonString(pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Writes `jsonString()` to `path`.
    public func write(to path: String) throws { try TrecFormat.write(try jsonString() + "\n", path: path) }
}

/// One metric over one reader set.
public struct MetricComparison: Codable, Sendable, Hashable {
    public var metric: String
    /// Readers compared (after the missing-reader rule and the segment filter).
    public var readers: Int
    /// System name → mean over those readers.
    public var means: [String: Double]
    public var pairs: [PairComparison]

    /// The pair comparing `system` with the baseline (or with `baseline` when given).
    public func pair(_ system: String, baseline: String? = nil) -> PairComparison? {
        pairs.first { $0.system == system && (baseline == nil || $0.baseline == baseline) }
    }
}

/// One compared pair on one metric: B = `system` against A = `baseline`, d_i = B_i − A_i.
public struct PairComparison: Codable, Sendable, Hashable {
    /// Encoded in words: `better`, `worse`, `no significant difference` (the older
    /// `noSignificantDifference` is still read).
    public enum Verdict: String, Codable, Sendable, Hashable {
        case better, worse
        case noSignificantDifference = "no significant difference"

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let v = Verdict(rawValue: text == "noSignificantDifference" ? "no significant difference" : text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown verdict \(text)"))
            }
            self = v
        }
    }

    public var baseline: String
    public var system: String
    public var readers: Int
    /// mean(d) = mean(B) − mean(A).
    public var diff: Double
    /// Percentile bootstrap interval of mean(d).
    public var ciLow: Double
    public var ciHigh: Double
    /// mean(d) / sd(d); `nil` when sd(d) = 0.
    public var effectSize: Double?
    /// Two-sided sign-flip randomization p-value (unadjusted).
    public var pRandomization: Double
    /// Two-sided paired t-test p-value (unadjusted).
    public var pT: Double
    /// Holm-adjusted randomization p-value (family: all metrics × pairs of the reader set).
    public var pHolm: Double
    public var verdict: Verdict
    /// Per-reader differences in reader byte order, when `keepDifferences` (for histograms).
    public var differences: [Double]?

    enum CodingKeys: String, CodingKey {
        case baseline, system, readers, diff, verdict, differences
        case ciLow = "ci_low", ciHigh = "ci_high", effectSize = "effect_size"
        case pRandomization = "p_randomization", pT = "p_t", pHolm = "p_holm"
    }

    /// Whether the Holm-adjusted p is below α (the † mark).
    public func isSignificant(alpha: Double) -> Bool { pHolm < alpha }
}

/// The comparison restricted to one reader segment.
public struct SegmentComparison: Codable, Sendable, Hashable {
    public var segment: String
    /// Readers in the segment definition (some may have no values).
    public var readers: Int
    public var results: [MetricComparison]
}

/// A titled table of preformatted cells, rendered as-is in the HTML and Markdown reports.
public struct ReportTable: Codable, Sendable, Hashable {
    public var title: String
    public var columns: [String]
    public var rows: [[String]]
    public init(title: String, columns: [String], rows: [[String]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }
}
