import Foundation
import PaperFeedCore
import Ranking

/// The `tune` section of an experiment file: what `paperfeed tune` searches and where.
public struct TuneSpec: Sendable, Codable {
    public struct Window: Sendable, Codable {
        public var first: String
        public var last: String
    }

    /// Replay days of the search; the last must be before the experiment's test window.
    public var validation: Window
    /// Blend config file to start from (default: the built-in defaults, `RankingConfiguration()`).
    public var base: String?
    /// Metric maximized on the validation window (default: the experiment's first metric).
    public var metric: String?
    /// `coordinate-ascent` (default) or `grid`.
    public var method: String?
    /// Configuration path (JSON keys of `RankingConfiguration`, dotted: `weights.content`,
    /// `trend.halfLifeDays`, `feedback.skipPenalty`, `diversity.lambda`, …) → values to try.
    public var parameters: [String: [Double]]
    /// Coordinate-ascent rounds at most (default 3; it stops early after a round without a gain).
    public var rounds: Int?
    /// Grid: the most configurations it may evaluate (default 400).
    public var maxEvaluations: Int?

    /// Bounds: rounds 1…100, max_evaluations 1…100,000, 1…64 parameters with 1…1,000 finite
    /// values each, and for `grid` the number of combinations (computed without building them,
    /// with overflow checks) at most max_evaluations — a grid of 10⁸ combinations used 17.5 GB
    /// before its own limit was checked.
    public func problems() -> [String] {
        var out: [String] = []
        if let r = rounds, !(1...100).contains(r) { out.append("rounds must be in 1…100") }
        if let m = maxEvaluations, !(1...100_000).contains(m) { out.append("max_evaluations must be in 1…100000") }
        if !(1...64).contains(parameters.count) { out.append("list 1 to 64 parameters") }
        for (path, values) in parameters.sorted(by: { $0.key < $1.key }) {
            if !(1...1_000).contains(values.count) { out.append("parameter \(path) needs 1 to 1000 values") }
            if !values.allSatisfy(\.isFinite) { out.append("parameter \(path): every value must be a finite number") }
        }
        if method == "grid" {
            let limit = maxEvaluations ?? 400
            if let n = ParameterSearch.gridSize(parameters.values.map(\.count)) {
                if n > limit { out.append("the grid has \(n) combinations, more than max_evaluations = \(limit); use coordinate-ascent or fewer values") }
            } else {
                out.append("the grid has more combinations than Int.max; use coordinate-ascent or fewer values")
            }
        }
        return out
    }
}

/// Seeded search over blend configurations.
///
/// **Coordinate ascent** (Metzler & Croft 2007 use it for linear ranking functions): start at the
/// base configuration; each round visits the parameters in an order shuffled by
/// `SeededGenerator(seed).derived(round)`; for a parameter it tries every listed value with the
/// others fixed and moves to the best one if it beats the current score by more than 1e-9 (so
/// ties keep the current value; among equal new scores the first listed value wins). It stops
/// after a round with no move or after `rounds` rounds. **Grid**: every combination, in the
/// order of the sorted parameter names and listed values; the first best wins.
/// Configurations are memoized by their JSON, so each is evaluated once.
public struct ParameterSearch: Sendable {
    public struct Step: Sendable, Codable {
        public var evaluation: Int
        public var round: Int
        public var parameter: String
        public var value: Double
        public var score: Double
        public var accepted: Bool
    }

    let parameters: [(path: String, values: [Double])]
    let seed: UInt64

    init(_ parameters: [String: [Double]], seed: UInt64) {
        self.parameters = parameters.keys.sorted().map { ($0, parameters[$0]!) }
        self.seed = seed
    }

    /// The configuration with `path` set to `value` (validated like a config file).
    /// A flag (`diversity.enabled`) takes 0 = false, anything else = true.
    static func setting(_ c: RankingConfiguration, _ path: String, to value: Double) throws -> RankingConfiguration {
        do {
            return try setting(c, path, json: value)
        } catch let e as RankingError {
            guard let flagged = try? setting(c, path, json: value != 0) else { throw e }
            return flagged
        }
    }

    static func setting(_ c: RankingConfiguration, _ path: String, json value: Any) throws -> RankingConfiguration {
        let object = try JSONSerialization.jsonObject(with: RankingConfiguration.encoder.encode(c))
        func set(_ node: Any, _ keys: ArraySlice<Substring>) throws -> Any {
            guard let key = keys.first.map({ RankingConfiguration.snakeCase(String($0)) }), var dict = node as? [String: Any] else {
                throw KitError.invalid("tune: parameter \"\(path)\" does not name a number of the blend configuration")
            }
            guard let old = dict[key] else {
                throw KitError.invalid("tune: unknown parameter \"\(path)\" (no key \"\(key)\"; known here: \(dict.keys.sorted().joined(separator: ", ")))")
            }
            if keys.count == 1 {
                guard !(old is [String: Any]), !(old is [Any]) else {
                    throw KitError.invalid("tune: parameter \"\(path)\" is not a number or a flag")
                }
                dict[key] = value
            } else {
                dict[key] = try set(old, keys.dropFirst())
            }
            return dict
        }
        let updated = try set(object, path.split(separator: ".")[...])
        return try RankingConfiguration.decode(JSONSerialization.data(withJSONObject: updated), source: "tune: \(path) = \(value)")
    }

    /// Coordinate ascent or grid from `base`; returns the best configuration, its score, the
    /// base's score and the trace.
    func run(method: String, base: RankingConfiguration, rounds: Int, maxEvaluations: Int,
             score: (RankingConfiguration) throws -> Double) throws
        -> (best: RankingConfiguration, score: Double, baseScore: Double, trace: [Step])
    {
        var cache: [String: Double] = [:]
        var trace: [Step] = []
        func evaluate(_ c: RankingConfiguration) throws -> Double {
            let key = c.json()
            if let s = cache[key] { return s }
            let s = try score(c)
            cache[key] = s
            return s
        }
        var best = base
        var bestScore = try evaluate(base)
        let baseScore = bestScore
        switch method {
        case "coordinate-ascent":
            for round in 1...max(rounds, 1) {
                var order = parameters.indices.map { $0 }
                var g = SeededGenerator(seed: seed).derived(UInt64(round))
                for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(g.next() % UInt64(i + 1))) }
                var moved = false
                for p in order {
                    let (path, values) = parameters[p]
                    var roundBest = best, roundScore = bestScore, accepted: Int? = nil
                    for value in values {
                        let candidate = try Self.setting(best, path, to: value)
                        let s = try evaluate(candidate)
                        trace.append(Step(evaluation: trace.count + 1, round: round, parameter: path, value: value, score: s, accepted: false))
                        if s > roundScore + 1e-9 { roundBest = candidate; roundScore = s; accepted = trace.count - 1 }
                    }
                    if let a = accepted {
                        trace[a].accepted = true
                        best = roundBest
                        bestScore = roundScore
                        moved = true
                    }
                }
                if !moved { break }
            }
        case "grid":
            // The size first (with overflow checks), so a huge grid is refused before it is built.
            guard let size = Self.gridSize(parameters.map(\.values.count)), size <= maxEvaluations else {
                let n = Self.gridSize(parameters.map(\.values.count)).map(String.init) ?? "more than Int.max"
                throw KitError.invalid("tune: the grid has \(n) combinations, more than max_evaluations = \(maxEvaluations); "
                    + "use coordinate-ascent or fewer values")
            }
            var combos: [[Double]] = [[]]
            for (_, values) in parameters { combos = combos.flatMap { c in values.map { c + [$0] } } }
            for combo in combos {
                var c = base
                for (i, value) in combo.enumerated() { c = try Self.setting(c, parameters[i].path, to: value) }
                let s = try evaluate(c)
                let better = s > bestScore + 1e-9
                trace.append(Step(evaluation: trace.count + 1, round: 1, parameter: parameters.map(\.path).joined(separator: ","),
                                  value: combo.first ?? 0, score: s, accepted: better))
                if better { best = c; bestScore = s }
            }
        default:
            throw KitError.invalid("tune: method must be coordinate-ascent or grid (got \"\(method)\")")
        }
        return (best, bestScore, baseScore, trace)
    }

    /// The product of `counts`, or nil when it overflows `Int`.
    static func gridSize(_ counts: [Int]) -> Int? {
        var n = 1
        for c in counts {
            let (p, overflow) = n.multipliedReportingOverflow(by: c)
            if overflow { return nil }
            n = p
        }
        return n
    }

    /// The value at `path` of a configuration (for the report).
    static func value(_ c: RankingConfiguration, _ path: String) -> String {
        guard var node = try? JSONSerialization.jsonObject(with: RankingConfiguration.encoder.encode(c)) else { return "?" }
        for key in path.split(separator: ".") {
            guard let dict = node as? [String: Any], let next = dict[RankingConfiguration.snakeCase(String(key))] else { return "?" }
            node = next
        }
        return "\(node)"
    }
}
