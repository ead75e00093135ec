import PaperFeedCore

/// Settings of `Comparison.compare` / `compareTrecFiles` (the CLI's `paperfeed compare`).
public struct ComparisonOptions: Sendable, Hashable {
    /// What to do with a reader who has a value in some systems but not in others.
    public enum MissingReaders: String, Sendable, Hashable, Codable, CaseIterable {
        /// Throw `EvaluationError.missingReader` naming the first such reader (byte order). Default.
        case error
        /// The absent value counts as 0 (like trec_eval `-c`: no list, nothing found).
        case countAsZero
        /// Leave the reader out of that metric's comparison for every system.
        case dropReader
    }

    /// Significance level of the verdicts (on Holm-adjusted randomization p-values). 0.05.
    public var alpha: Double
    /// Random sign vectors of the randomization test. 10,000.
    public var permutations: Int
    /// Bootstrap resamples of the confidence interval. 10,000.
    public var bootstrapResamples: Int
    /// Coverage of the bootstrap interval. 0.95.
    public var confidenceLevel: Double
    /// Seed of every random step; each (segment, metric, pair) gets its own derived stream
    /// (from a stable hash of their names), so adding a system does not change other pairs.
    public var seed: UInt64
    public var missing: MissingReaders
    /// Also compare every pair of non-baseline systems (not only baseline vs each other).
    public var allPairs: Bool
    /// Keep each pair's per-reader differences in the report (needed for the histogram).
    public var keepDifferences: Bool
    /// With `keepDifferences`, also keep them in each segment's results (the histogram only
    /// uses the whole population; segments multiply the size of report.json).
    public var keepSegmentDifferences: Bool
    /// Metric conventions used by `compareTrecFiles` to score the runs.
    public var evaluation: EvaluationOptions

    public init(alpha: Double = 0.05, permutations: Int = 10_000, bootstrapResamples: Int = 10_000,
                confidenceLevel: Double = 0.95, seed: UInt64 = 0, missing: MissingReaders = .error,
                allPairs: Bool = false, keepDifferences: Bool = true, keepSegmentDifferences: Bool = true,
                evaluation: EvaluationOptions = .init()) {
        self.alpha = alpha
        self.permutations = permutations
        self.bootstrapResamples = bootstrapResamples
        self.confidenceLevel = confidenceLevel
        self.seed = seed
        self.missing = missing
        self.allPairs = allPairs
        self.keepDifferences = keepDifferences
        self.keepSegmentDifferences = keepSegmentDifferences
        self.evaluation = evaluation
    }
}

/// One system's per-reader metric values: metric name → reader → value.
public struct SystemScores: Sendable, Hashable {
    public var name: String
    public var values: [String: [UserID: Double]]

    public init(name: String, values: [String: [UserID: Double]]) {
        self.name = name
        self.values = values
    }

    /// The per-reader values of an `Evaluator` result, keyed by the metrics' canonical names.
    public init(name: String, result: EvaluationResult) {
        var values: [String: [UserID: Double]] = [:]
        for (j, metric) in result.metrics.enumerated() {
            var column: [UserID: Double] = [:]
            column.reserveCapacity(result.users.count)
            for (u, user) in result.users.enumerated() { column[user] = result.value(user: u, metric: j) }
            values[metric.description] = column
        }
        self.init(name: name, values: values)
    }
}
