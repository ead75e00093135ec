import Foundation
import PaperFeedCore
import PaperFeedEvaluation

/// An experiment file `Evaluation/configs/NAME.json` (schema in Evaluation/README.md). Keys are
/// snake_case; paths are relative to the current directory (run from the repository root).
public struct ExperimentConfiguration: Sendable, Codable {
    /// Bag-of-words corpus with published per-reader splits (CTR protocol).
    public struct CorpusFiles: Sendable, Codable {
        public var name: String
        public var documents: String
        public var vocabulary: String
        public var train: String
        public var test: String
    }

    /// The store at `db`; a topic model of `dims` dimensions is fitted at each cut-off on the
    /// papers published before it; candidates are papers published in the `candidate_window_days`
    /// before the cut-off.
    public struct StoreSource: Sendable, Codable {
        public var db: String
        public var dims: Int?
        public var candidateWindowDays: Double?
        /// Optional TREC qrels of hidden relevance (the simulator's `--qrels`): when given, each
        /// ranked reader is judged by these grades over the cut-off's candidates instead of by
        /// the logged events, which only judge what the logging policy happened to show.
        public var hiddenQrels: String?
        /// Without hidden qrels: `all-candidates` (default: logged events judge every candidate,
        /// JudgmentPolicy.default) or `logged-lists` (each reader's candidates are the papers
        /// shown that day; reads position-debiased; `StoreReplay.loggedListJudgments`).
        public var judgment: String?
    }

    public struct DataSource: Sendable, Codable {
        public var corpus: CorpusFiles?
        public var store: StoreSource?
    }

    /// `ctr` (corpus; optional `validation_holdout`/`validation_seed` to tune on train only),
    /// `temporal` (`cutoff`, optional `horizon_days`), `replay` (`first`, `last` days).
    public struct SplitSpec: Sendable, Codable {
        public var kind: String
        public var cutoff: String?
        public var horizonDays: Double?
        public var first: String?
        public var last: String?
        public var validationHoldout: Int?
        public var validationSeed: UInt64?
    }

    /// A system: a `baseline` name (`random`, `most-recent`, `most-upvoted`, `trend-only`,
    /// `content-only`, `blend`; corpus experiments: `random`, `content`) or a `blend` config
    /// file. Content options (corpus): `dims`, `aggregation` (`profile` | `itemknn`),
    /// `neighbours`, `profile_weight`, `min_df`, `max_df`, `sublinear_tf`.
    public struct SystemSpec: Sendable, Codable {
        public var name: String
        public var baseline: String?
        public var blend: String?
        public var dims: Int?
        public var aggregation: String?
        public var neighbours: Int?
        public var profileWeight: Float?
        public var minDf: Int?
        public var maxDf: Double?
        public var sublinearTf: Bool?
        /// Settings of the `learned` baseline (all optional).
        public var learner: LearnerSpec?

        // Collaborative and hybrid systems of corpus experiments (baselines `als`, `item-knn`,
        // `popularity`, `hybrid`; Evaluation/README.md, citeulike-t section).
        /// Implicit ALS: factors f, λ, α of the confidence 1 + α·r, iterations (seed: the experiment's).
        public var factors: Int?
        public var regularization: Double?
        public var alpha: Double?
        public var iterations: Int?
        /// Item-kNN CF: shrinkage h (the neighbour count is `neighbours`).
        public var shrinkage: Float?
        /// Hybrid: the systems combined (each a corpus system spec), and fixed weights (one per
        /// part); without `weights` they are learned on `learn_holdout` items per reader held out
        /// of the training lists (seed `learn_seed`), by coordinate ascent over `weight_grid` on
        /// recall@`learn_cutoff` (default: k).
        public var parts: [SystemSpec]?
        public var weights: [Double]?
        public var learnHoldout: Int?
        public var learnSeed: UInt64?
        public var learnCutoff: Int?
        public var weightGrid: [Double]?
    }

    /// The `learned` baseline: learned at each cut-off from the data before it
    /// (`RankerLearner`); `config` is a ranking configuration whose profile, trend and feedback
    /// settings the features use.
    public struct LearnerSpec: Sendable, Codable {
        public var validationDays: Int?
        public var features: [String]?
        public var config: String?
        public var propensityClip: Double?
    }

    /// Published numbers to print beside ours (free text values, e.g. "0.29–0.33").
    public struct Published: Sendable, Codable {
        public var system: String
        public var source: String?
        public var values: [String: String]
    }

    /// `paperfeed compare --config` settings (all optional).
    public struct CompareSpec: Sendable, Codable {
        /// The system the others are compared with (default: the first system).
        public var baseline: String?
        public var alpha: Double?
        public var permutations: Int?
        public var bootstrap: Int?
        /// Also compare every pair of non-baseline systems.
        public var allPairs: Bool?
        /// Readers missing from a system: `error` (default), `zero`, `drop`.
        public var missing: String?
        /// Segments (store experiments; default true), the cold threshold (default 5 events) and
        /// the number of topic clusters (default 4; 0 = none).
        public var segments: Bool?
        public var coldThreshold: Int?
        public var clusters: Int?
        /// Off-policy estimates from the logged impressions (default true) and the ESS below
        /// which an estimate is flagged untrustworthy (default 100).
        public var offPolicy: Bool?
        public var essThreshold: Double?
        /// System whose per-reader differences the histogram shows (default: the second system).
        public var histogram: String?
        public init() {}

        func options(seed: UInt64) -> ComparisonOptions {
            var o = ComparisonOptions(seed: seed)
            if let alpha { o.alpha = alpha }
            if let permutations { o.permutations = permutations }
            if let bootstrap { o.bootstrapResamples = bootstrap }
            o.allPairs = allPairs ?? false
            o.missing = missing == "zero" ? .countAsZero : missing == "drop" ? .dropReader : .error
            return o
        }

        func offPolicyOptions(seed: UInt64) -> OffPolicyOptions {
            OffPolicyOptions(seed: seed, essThreshold: essThreshold ?? 100)
        }
    }

    /// Optional; when given it must be `Schema.version` (docs/outputs.md).
    public var schemaVersion: Int?
    public var name: String?
    public var description: String?
    public var data: DataSource
    public var split: SplitSpec
    public var systems: [SystemSpec]
    public var metrics: [String]
    public var k: Int
    public var seed: UInt64
    public var published: [Published]?
    /// Run files larger than this many bytes are gzipped (default 5 MB).
    public var gzipRunsAbove: Int?
    /// Report folder; default `../reports/NAME` beside the configs folder.
    public var output: String?
    public var compare: CompareSpec?
    /// `paperfeed tune` settings.
    public var tune: TuneSpec?

    /// Reads and checks an experiment file: JSON (a UTF-8 byte-order mark is skipped), no
    /// unknown key (`ConfigurationKeys`), every value within the bounds of `check`.
    public static func load(path: String) throws -> ExperimentConfiguration {
        guard var data = FileManager.default.contents(atPath: path) else {
            throw KitError.notFound("\(path): no such experiment file")
        }
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            let c = try decoder.decode(ExperimentConfiguration.self, from: data)
            if let unknown = ConfigurationKeys.firstUnknown(json: try JSONSerialization.jsonObject(with: data), decoded: c) {
                throw KitError.invalid("\(path): \(unknown); fix the file (schema in Evaluation/README.md)")
            }
            try c.check(source: path)
            return c
        } catch let e as KitError {
            throw e
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw KitError.invalid("\(path): \(syntaxError(data) ?? context.debugDescription); fix the file (schema in Evaluation/README.md)")
        } catch {
            throw KitError.invalid("\(path): not a valid experiment file: \(error)")
        }
    }

    /// Where a JSON syntax error is, as `line L, column C: not valid JSON (parser message)`:
    /// Foundation's parser reports a character offset ("around character N"), mapped here to
    /// the line and column of that byte.
    static func syntaxError(_ data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data)
            return nil
        } catch {
            let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            guard let r = message.range(of: "character "), let offset = Int(message[r.upperBound...].prefix { $0.isNumber }) else {
                return "not valid JSON: \(message)"
            }
            let before = data.prefix(offset)
            let line = before.reduce(1) { $1 == 10 ? $0 + 1 : $0 }
            let column = offset - (before.lastIndex(of: 10).map { $0 + 1 } ?? 0) + 1
            return "line \(line), column \(column): not valid JSON (\(message))"
        }
    }

    /// Largest `k` (list length) of an experiment.
    public static let maxK = 10_000

    /// Checks the values (bounds documented in Evaluation/README.md "Experiment files"): k in
    /// 1…10000; the report name a plain file name (`[A-Za-z0-9._-]`, not starting with `.`) so the
    /// report stays inside `Evaluation/reports`; dims 1…4096; days in (0, 36500]; min_df ≥ 0,
    /// max_df in (0, 1]; neighbours 1…10000; compare: α in (0, 1), permutations and bootstrap in
    /// 100…10,000,000, cold threshold ≥ 0, clusters 0…64, ESS threshold ≥ 0; tune: see `TuneSpec.problems`.
    func check(source: String) throws {
        func bad(_ why: String) -> KitError { KitError.invalid("\(source): \(why)") }
        if let j = data.store?.judgment, !["all-candidates", "logged-lists"].contains(j) {
            throw bad("data.store.judgment is all-candidates or logged-lists (got \"\(j)\")")
        }
        if let v = schemaVersion, v != Schema.version {
            throw KitError.invalid("\(source): schema_version \(v) is not supported; this build reads \(Schema.version)")
        }
        guard (data.corpus == nil) != (data.store == nil) else {
            throw KitError.invalid("\(source): data needs exactly one of \"corpus\" or \"store\"")
        }
        guard k >= 1, k <= Self.maxK else { throw KitError.invalid("\(source): k must be in 1…\(Self.maxK)") }
        let name = report(path: source).name
        guard Self.isPlainName(name) else {
            throw bad("the report name \"\(name)\" must be a plain name (letters, digits, '.', '-', '_'; not starting with '.'), "
                + "so the report stays in its folder; use \"output\" to write elsewhere")
        }
        let dimsRange = 1...4096, daysOK = { (d: Double) in d.isFinite && d > 0 && d <= 36_500 }
        if let s = data.store {
            if let d = s.dims, !dimsRange.contains(d) { throw bad("data.store.dims must be in 1…4096") }
            if let w = s.candidateWindowDays, !daysOK(w) { throw bad("data.store.candidate_window_days must be in (0, 36500]") }
        }
        if let h = split.horizonDays, !daysOK(h) { throw bad("split.horizon_days must be in (0, 36500]") }
        if let v = split.validationHoldout, v < 0 { throw bad("split.validation_holdout must be ≥ 0") }
        if let g = gzipRunsAbove, g < 0 { throw bad("gzip_runs_above must be ≥ 0") }
        for s in systems {
            if let d = s.dims, !dimsRange.contains(d) { throw bad("system \(s.name): dims must be in 1…4096") }
            if let n = s.neighbours, !(1...Self.maxK).contains(n) { throw bad("system \(s.name): neighbours must be in 1…\(Self.maxK)") }
            if let m = s.minDf, m < 0 { throw bad("system \(s.name): min_df must be ≥ 0") }
            if let m = s.maxDf, !(m > 0 && m <= 1) { throw bad("system \(s.name): max_df must be in (0, 1]") }
            if let w = s.profileWeight, !w.isFinite { throw bad("system \(s.name): profile_weight must be a finite number") }
        }
        if let c = compare {
            if let problem = c.options(seed: seed).problems().first { throw bad("compare: \(problem)") }
            if let t = c.coldThreshold, t < 0 { throw bad("compare.cold_threshold must be ≥ 0") }
            if let n = c.clusters, !(0...64).contains(n) { throw bad("compare.clusters must be in 0…64") }
            if let e = c.essThreshold, !(e.isFinite && e >= 0) { throw bad("compare.ess_threshold must be a finite number ≥ 0") }
        }
        if let t = tune, let problem = t.problems().first { throw bad("tune: \(problem)") }
        guard !systems.isEmpty || tune != nil else { throw KitError.invalid("\(source): list at least one system") }
        for s in systems where (s.baseline == nil) == (s.blend == nil) {
            throw KitError.invalid("\(source): system \(s.name) needs exactly one of \"baseline\" or \"blend\"")
        }
        let names = (tune == nil ? [] : ["default", "tuned"]) + systems.map(\.name)
        guard Set(names).count == names.count else { throw KitError.invalid("\(source): system names must be unique (tuning adds \"default\" and \"tuned\")") }
        _ = try parsedMetrics()
        if let c = compare {
            if let a = c.alpha, !(a > 0 && a < 1) { throw KitError.invalid("\(source): compare.alpha must be in (0, 1)") }
            if let m = c.missing, !["error", "zero", "drop"].contains(m) {
                throw KitError.invalid("\(source): compare.missing is error, zero or drop (got \"\(m)\")")
            }
            if let b = c.baseline, !names.contains(b) {
                throw KitError.invalid("\(source): compare.baseline \"\(b)\" is not one of the systems (\(names.joined(separator: ", ")))")
            }
            if let h = c.histogram, !names.contains(h) {
                throw KitError.invalid("\(source): compare.histogram \"\(h)\" is not one of the systems")
            }
        }
    }

    /// The report name (`name`, else the file's base name) and folder (`output`, else
    /// `../reports/NAME` beside the configs folder) of the experiment file at `path`.
    func report(path: String) -> (name: String, directory: String) {
        let name = self.name ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let directory = output ?? URL(fileURLWithPath: path).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reports").appendingPathComponent(name).path
        return (name, directory)
    }

    public func parsedMetrics() throws -> [Metric] { try metrics.map { try Metric(parsing: $0) } }

    /// `[A-Za-z0-9._-]+`, not starting with `.` (so neither `..` nor a path).
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "."), name.utf8.count <= 200 else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "_")
        }
    }
}
