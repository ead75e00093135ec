import Foundation
import PaperFeedCore

/// Paired comparison of two or more systems evaluated over the same readers.
///
/// Per metric: each system's mean; for each compared pair (A = baseline = first system, B =
/// each other system; with `allPairs`, also every later pair) the per-reader differences
/// d_i = B_i − A_i, their mean, a percentile bootstrap interval, a sign-flip randomization
/// p-value, a paired t-test p-value and the effect size mean(d)/sd(d) (`PairedTests`).
///
/// **Multiple testing.** The randomization p-values of ALL metrics × pairs of one reader set
/// (the whole population, or one segment) form one Holm family (`HolmCorrection`).
///
/// **Verdict** (for B relative to A, every metric being higher-is-better): `better` when the
/// Holm-adjusted randomization p-value is < α and mean(d) > 0, `worse` when it is < α and
/// mean(d) < 0, else `noSignificantDifference`. The randomization test is the primary test
/// because it makes no normality assumption (per-reader IR metrics are bounded and skewed;
/// Smucker et al. 2007 found it the most reliable); the t-test p-value is reported beside it.
public enum Comparison {
    /// Compares `systems` (first = baseline) on `metrics` (default: the first system's metric
    /// names, sorted), overall and in each segment (segment name → its readers).
    public static func compare(
        _ systems: [SystemScores], metrics: [String]? = nil, segments: [String: Set<UserID>] = [:],
        options: ComparisonOptions = .init()
    ) throws -> ComparisonReport {
        guard systems.count >= 2 else {
            throw EvaluationError.invalidInput("compare needs at least two systems, got \(systems.count)")
        }
        let names = systems.map(\.name)
        guard Set(names).count == names.count else {
            throw EvaluationError.invalidInput("system names must be distinct: \(names.joined(separator: ", "))")
        }
        let metricNames = metrics ?? systems[0].values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // Aligned per-reader values: metric → (readers, matrix[system][reader]).
        var aligned: [String: (readers: [UserID], values: [[Double]])] = [:]
        for metric in metricNames { aligned[metric] = try align(systems, metric: metric, missing: options.missing) }

        var pairs: [(Int, Int)] = (1..<systems.count).map { (0, $0) }
        if options.allPairs {
            for a in 1..<systems.count { for b in (a + 1)..<systems.count { pairs.append((a, b)) } }
        }
        func family(_ name: String?, _ keep: Set<UserID>?) -> [MetricComparison] {
            var results: [MetricComparison] = []
            for metric in metricNames {
                let (readers, values) = aligned[metric]!
                let rows = keep.map { k in readers.indices.filter { k.contains(readers[$0]) } } ?? Array(readers.indices)
                var means: [String: Double] = [:]
                for (s, name) in names.enumerated() { means[name] = PairedTests.mean(rows.map { values[s][$0] }) }
                let pairResults = pairs.map { (a, b) in
                    let d = rows.map { values[b][$0] - values[a][$0] }
                    let stream = "\(name ?? "")\u{1F}\(metric)\u{1F}\(names[a])\u{1F}\(names[b])".hashValueStable
                    return comparePair(d, baseline: names[a], system: names[b], options: options, stream: stream,
                                       keep: options.keepDifferences && (name == nil || options.keepSegmentDifferences))
                }
                results.append(MetricComparison(metric: metric, readers: rows.count, means: means, pairs: pairResults))
            }
            return applyHolm(results, alpha: options.alpha)
        }

        let overall = family(nil, nil)
        let segmentResults = segments.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { name in
            SegmentComparison(segment: name, readers: segments[name]!.count, results: family(name, segments[name]!))
        }
        return ComparisonReport(
            systems: names, metrics: metricNames, alpha: options.alpha, permutations: options.permutations,
            bootstrapResamples: options.bootstrapResamples, confidenceLevel: options.confidenceLevel,
            seed: options.seed, missing: options.missing.rawValue, results: overall, segments: segmentResults)
    }

    /// One pair's statistics (Holm-adjusted p and verdict are filled in by `applyHolm`).
    static func comparePair(_ d: [Double], baseline: String, system: String, options: ComparisonOptions,
                            stream: UInt64, keep: Bool) -> PairComparison {
        let root = SeededGenerator(seed: options.seed)
        var g1 = root.derived(stream), g2 = root.derived(stream &+ 1)
        let ci = PairedTests.bootstrapCI(d, resamples: options.bootstrapResamples, level: options.confidenceLevel,
                                         generator: &g1)
        let pr = PairedTests.randomizationP(d, permutations: options.permutations, generator: &g2)
        return PairComparison(
            baseline: baseline, system: system, readers: d.count, diff: PairedTests.mean(d), ciLow: ci.low,
            ciHigh: ci.high, effectSize: PairedTests.effectSize(d), pRandomization: pr, pT: PairedTests.tTestP(d),
            pHolm: pr, verdict: .noSignificantDifference, differences: keep ? d : nil)
    }

    /// Holm over every (metric, pair) of one family, then the verdicts.
    static func applyHolm(_ results: [MetricComparison], alpha: Double) -> [MetricComparison] {
        let adjusted = HolmCorrection.adjust(results.flatMap { $0.pairs.map(\.pRandomization) })
        var out = results, k = 0
        for i in out.indices {
            for j in out[i].pairs.indices {
                let p = adjusted[k]
                k += 1
                out[i].pairs[j].pHolm = p
                let diff = out[i].pairs[j].diff
                out[i].pairs[j].verdict = p < alpha && diff > 0 ? .better : p < alpha && diff < 0 ? .worse
                    : .noSignificantDifference
            }
        }
        return out
    }

    /// Readers (byte order) and values[system][reader] of one metric under the missing-reader rule.
    static func align(_ systems: [SystemScores], metric: String, missing: ComparisonOptions.MissingReaders)
        throws -> (readers: [UserID], values: [[Double]])
    {
        let columns = systems.map { $0.values[metric] ?? [:] }
        if let s = systems.firstIndex(where: { $0.values[metric] == nil }) {
            throw EvaluationError.invalidInput("system \(systems[s].name) has no values of metric \(metric)")
        }
        var union = Set<UserID>()
        for c in columns { union.formUnion(c.keys) }
        var readers: [UserID] = []
        for user in union.sorted() {
            if let absent = columns.firstIndex(where: { $0[user] == nil }) {
                switch missing {
                case .error:
                    let present = columns.firstIndex { $0[user] != nil }!
                    throw EvaluationError.missingReader(reader: user.rawValue, metric: metric,
                        presentIn: systems[present].name, absentFrom: systems[absent].name)
                case .dropReader: continue
                case .countAsZero: break
                }
            }
            readers.append(user)
        }
        return (readers, columns.map { c in readers.map { c[$0] ?? 0 } })
    }
}

/// Compares TREC run files on one qrels file (the library side of `paperfeed compare --qrels
/// FILE --run A.run --run B.run [--run …] [--metrics …] [--alpha] [--permutations] [--seed]`).
/// System names are the run files' base names without extension (made unique with `#2`, …);
/// the first run is the baseline. (Plain text files; `PaperFeedKit.TrecFiles` also reads gzip.)
public func compareTrecFiles(qrels: String, runs: [String], metrics: [Metric] = [.ndcg(cutoff: 10)],
                             options: ComparisonOptions = .init(),
                             segments: [String: Set<UserID>] = [:]) throws -> ComparisonReport {
    try compareRuns(qrels: TrecFormat.readQrels(path: qrels), runs: runs.map { ($0, try TrecFormat.readRun(path: $0)) },
                    metrics: metrics, options: options, segments: segments)
}

/// `compareTrecFiles` on runs already read: `runs` are (path, run) pairs, named by the path's
/// base name without extensions (`.run`, `.gz`, `.txt`, `.trec`; made unique with `#2`, …).
public func compareRuns(qrels judgments: Qrels, runs: [(path: String, run: Run)], metrics: [Metric] = [.ndcg(cutoff: 10)],
                        options: ComparisonOptions = .init(),
                        segments: [String: Set<UserID>] = [:]) throws -> ComparisonReport {
    if let problem = options.problems().first { throw EvaluationError.invalidInput("compare: \(problem)") }
    try options.evaluation.check(judgments)
    let evaluator = Evaluator(qrels: judgments, options: options.evaluation)
    var used = Set<String>(), systems: [SystemScores] = []
    for (path, run) in runs {
        let base = systemName(path: path)
        var name = base, k = 2
        while !used.insert(name).inserted { name = "\(base)#\(k)"; k += 1 }
        systems.append(SystemScores(name: name, result: evaluator.evaluate(run, metrics: metrics)))
    }
    return try Comparison.compare(systems, metrics: metrics.map(\.description), segments: segments, options: options)
}

/// A run file's system name: its base name without `.gz` and then one more extension.
public func systemName(path: String) -> String {
    var url = URL(fileURLWithPath: path)
    if url.pathExtension == "gz" { url = url.deletingPathExtension() }
    return url.deletingPathExtension().lastPathComponent
}
