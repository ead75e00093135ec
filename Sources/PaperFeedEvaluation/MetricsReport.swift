import Foundation
import PaperFeedCore

/// The result of `paperfeed metrics`: reader count, mean and per-reader values by metric name.
///
/// JSON (`jsonString()`): `{"mean": {...}, "per_user": {user: {metric: value}}, "users": N}`
/// with keys sorted. Text (`table()`): trec_eval-style `metric<TAB>all<TAB>value` lines.
public struct MetricsReport: Codable, Sendable, Hashable {
    /// Number of evaluated readers (the denominator of the means).
    public var users: Int
    /// Metric name (`ndcg@10`, …) → mean over evaluated readers.
    public var mean: [String: Double]
    /// Reader → metric name → value.
    public var perUser: [String: [String: Double]]
    /// Metric names in the order they were asked for (not encoded).
    public var metricOrder: [String]

    enum CodingKeys: String, CodingKey {
        case users, mean
        case perUser = "per_user"
    }

    public init(users: Int, mean: [String: Double], perUser: [String: [String: Double]], metricOrder: [String]? = nil) {
        self.users = users
        self.mean = mean
        self.perUser = perUser
        self.metricOrder = metricOrder ?? mean.keys.sorted()
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        users = try c.decode(Int.self, forKey: .users)
        mean = try c.decode([String: Double].self, forKey: .mean)
        perUser = try c.decode([String: [String: Double]].self, forKey: .perUser)
        metricOrder = mean.keys.sorted()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(users, forKey: .users)
        try c.encode(mean, forKey: .mean)
        try c.encode(perUser, forKey: .perUser)
    }

    public init(_ result: EvaluationResult) {
        let names = result.metrics.map(\.description)
        let means = result.means
        var mean: [String: Double] = [:]
        for (j, name) in names.enumerated() { mean[name] = means[j] }
        var perUser: [String: [String: Double]] = [:]
        perUser.reserveCapacity(result.users.count)
        for (u, user) in result.users.enumerated() {
            var row: [String: Double] = [:]
            for (j, name) in names.enumerated() { row[name] = result.value(user: u, metric: j) }
            perUser[user.rawValue] = row
        }
        self.init(users: result.users.count, mean: mean, perUser: perUser, metricOrder: names)
    }

    /// JSON with sorted keys (byte-stable for the same input).
    public func jsonData(pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        return try encoder.encode(self)
    }

    public func jsonString(pretty: Bool = true) throws -> String {
        String(decoding: try jsonData(pretty: pretty), as: UTF8.self)
    }

    /// trec_eval-style text: `num_q<TAB>all<TAB>N`, then `metric<TAB>all<TAB>value` per metric
    /// (4 decimals, like trec_eval); with `perUser`, each reader's lines come first, readers in
    /// byte order (like `trec_eval -q`).
    public func table(perUser includeUsers: Bool = false, decimals: Int = 4) -> String {
        var out = ""
        let width = (metricOrder.map(\.count) + [5]).max()!
        func line(_ name: String, _ who: String, _ value: String) {
            out += name + String(repeating: " ", count: width - name.count) + "\t" + who + "\t" + value + "\n"
        }
        if includeUsers {
            for user in perUser.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                for name in metricOrder { line(name, user, format(perUser[user]?[name] ?? 0, decimals)) }
            }
        }
        line("num_q", "all", String(users))
        for name in metricOrder { line(name, "all", format(mean[name] ?? 0, decimals)) }
        return out
    }

    /// Writes `jsonString()` (or `table()` when `json` is false) to `path`.
    public func write(to path: String, json: Bool = true) throws {
        let text = json ? try jsonString() + "\n" : table()
        try TrecFormat.write(text, path: path)
    }

    private func format(_ v: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", v) }
}

/// Evaluates a TREC run file against a TREC qrels file (the library side of
/// `paperfeed metrics --qrels FILE --run FILE [--metrics …] [--gain linear|exp] [--json]`).
public func evaluateTrecFiles(
    qrels qrelsPath: String, run runPath: String, metrics: [Metric] = Metric.defaultSet,
    options: EvaluationOptions = .init()
) throws -> MetricsReport {
    let qrels = try TrecFormat.readQrels(path: qrelsPath)
    try options.check(qrels)
    let run = try TrecFormat.readRun(path: runPath)
    return MetricsReport(Evaluator(qrels: qrels, options: options).evaluate(run, metrics: metrics))
}
