/// A ranking-accuracy metric with an optional cut-off, parsed from names such as
/// `ndcg@10`, `ndcg`, `map`, `map@100`, `mrr`, `mrr@10`, `precision@10` (`p@10`),
/// `recall@100`, `hit@10`. trec_eval's names are accepted too (`ndcg_cut_10`, `P_10`,
/// `recall_10`, `success_10`, `recip_rank`, `map_cut_100`).
///
/// Every metric is computed per reader from the reader's run (sorted by score descending,
/// ties by `TieBreak`) and judgments; the formulas are on the functions in `Metric+*.swift`.
/// A cut-off `k` looks only at the first k ranked papers; no cut-off looks at the whole list.
public enum Metric: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// Normalized discounted cumulative gain (see `Metric+NDCG.swift`).
    case ndcg(cutoff: Int?)
    /// Discounted cumulative gain, not normalized (ranx `dcg@k`).
    case dcg(cutoff: Int?)
    /// Average precision; its mean over readers is MAP (see `Metric+AveragePrecision.swift`).
    case averagePrecision(cutoff: Int?)
    /// Reciprocal rank of the first relevant paper; its mean is MRR.
    case reciprocalRank(cutoff: Int?)
    /// Precision@k (always with a cut-off, as in trec_eval's `P_k`).
    case precision(cutoff: Int)
    /// Recall@k; without a cut-off, recall of the whole list.
    case recall(cutoff: Int?)
    /// HitRate@k (trec_eval `success_k`): 1 when a relevant paper is in the first k.
    case hitRate(cutoff: Int?)

    /// The canonical name, used as the key in reports: `ndcg@10`, `map`, `mrr@10`, `precision@5`, …
    public var description: String {
        func name(_ base: String, _ k: Int?) -> String { k.map { "\(base)@\($0)" } ?? base }
        switch self {
        case .ndcg(let k): return name("ndcg", k)
        case .dcg(let k): return name("dcg", k)
        case .averagePrecision(let k): return name("map", k)
        case .reciprocalRank(let k): return name("mrr", k)
        case .precision(let k): return name("precision", k)
        case .recall(let k): return name("recall", k)
        case .hitRate(let k): return name("hit", k)
        }
    }

    /// The trec_eval measure with the same value, when there is one (`ndcg_cut_10`, `P_5`, …).
    public var trecEvalName: String? {
        switch self {
        case .ndcg(nil): return "ndcg"
        case .ndcg(let k?): return "ndcg_cut_\(k)"
        case .dcg: return nil
        case .averagePrecision(nil): return "map"
        case .averagePrecision(let k?): return "map_cut_\(k)"
        case .reciprocalRank(nil): return "recip_rank"
        case .reciprocalRank: return nil
        case .precision(let k): return "P_\(k)"
        case .recall(let k?): return "recall_\(k)"
        case .recall(nil): return nil
        case .hitRate(let k?): return "success_\(k)"
        case .hitRate(nil): return nil
        }
    }

    /// The cut-off, `nil` for the whole list.
    public var cutoff: Int? {
        switch self {
        case .ndcg(let k), .dcg(let k), .averagePrecision(let k), .reciprocalRank(let k), .recall(let k), .hitRate(let k): return k
        case .precision(let k): return k
        }
    }

    /// The metrics `paperfeed metrics` reports when `--metrics` is not given.
    public static let defaultSet: [Metric] = [
        .ndcg(cutoff: 5), .ndcg(cutoff: 10), .ndcg(cutoff: 20), .ndcg(cutoff: nil),
        .averagePrecision(cutoff: nil), .reciprocalRank(cutoff: nil),
        .precision(cutoff: 5), .precision(cutoff: 10), .recall(cutoff: 10), .recall(cutoff: 100),
        .hitRate(cutoff: 1), .hitRate(cutoff: 10),
    ]

    public static func < (a: Metric, b: Metric) -> Bool { a.description.utf8.lexicographicallyPrecedes(b.description.utf8) }

    /// Parses one metric name (case-insensitive, surrounding spaces ignored).
    public init(parsing raw: String) throws {
        let text = raw.trimmingSpaces
        let lower = text.lowercased()
        var base = lower
        var k: Int? = nil
        if let at = lower.firstIndex(of: "@") {
            base = String(lower[..<at])
            let digits = String(lower[lower.index(after: at)...])
            guard let v = Int(digits), v >= 1 else {
                throw EvaluationError.invalidCutoff(metric: text, message: "'\(digits)' is not a positive integer")
            }
            k = v
        } else {
            // trec_eval spellings: ndcg_cut_10, P_10, recall_10, success_10, map_cut_100.
            for prefix in ["ndcg_cut_", "map_cut_", "p_", "recall_", "success_"] where lower.hasPrefix(prefix) {
                let digits = String(lower.dropFirst(prefix.count))
                guard let v = Int(digits), v >= 1 else {
                    throw EvaluationError.invalidCutoff(metric: text, message: "'\(digits)' is not a positive integer")
                }
                base = String(prefix.dropLast())
                k = v
                break
            }
        }
        switch base {
        case "ndcg", "ndcg_cut": self = .ndcg(cutoff: k)
        case "dcg": self = .dcg(cutoff: k)
        case "map", "ap", "map_cut": self = .averagePrecision(cutoff: k)
        case "mrr", "rr", "recip_rank": self = .reciprocalRank(cutoff: k)
        case "precision", "p":
            guard let k else {
                throw EvaluationError.invalidCutoff(metric: text, message: "precision needs a cut-off")
            }
            self = .precision(cutoff: k)
        case "recall", "r": self = .recall(cutoff: k)
        case "hit", "hitrate", "hit_rate", "success": self = .hitRate(cutoff: k)
        default: throw EvaluationError.unknownMetric(text)
        }
    }

    /// Parses a comma- or space-separated list (`"ndcg@10, map mrr@10"`); duplicates are dropped, order kept.
    public static func parseList(_ text: String) throws -> [Metric] {
        var out: [Metric] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            let m = try Metric(parsing: String(part))
            if !out.contains(m) { out.append(m) }
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
