import Dispatch
import Foundation
import PaperFeedCore

/// Computes ranking metrics of runs against fixed judgments, per reader and averaged.
///
/// The judgments are prepared once (per reader: relevant count and ideal grades); each run
/// is sorted once per reader (score descending, ties by `options.tieBreak`) and joined with
/// the judgments once, and all metrics read that shared `JudgedRanking`. Readers are
/// evaluated in parallel (`DispatchQueue.concurrentPerform`) when there are at least
/// `options.parallelThreshold` of them; the output does not depend on the thread count
/// (means are summed in reader byte order).
///
/// Evaluated readers: those with both judgments and a list (trec_eval). Readers with a list
/// but no judgments are ignored (trec_eval, ranx); readers with judgments but no list are
/// ignored, or scored 0 with `MissingUsers.countAsZero` (trec_eval `-c`).
public struct Evaluator: Sendable {
    public let qrels: Qrels
    public let options: EvaluationOptions
    private let prepared: [UserID: Prepared]

    struct Prepared: Sendable {
        var judgments: [PaperID: Int]
        var relevantCount: Int
        var idealGrades: [Int]
    }

    public init(qrels: Qrels, options: EvaluationOptions = .init()) {
        self.qrels = qrels
        self.options = options
        var prepared: [UserID: Prepared] = [:]
        prepared.reserveCapacity(qrels.judgments.count)
        for (user, papers) in qrels.judgments {
            prepared[user] = Prepared(
                judgments: papers,
                relevantCount: papers.values.reduce(0) { $1 >= options.relevanceThreshold ? $0 + 1 : $0 },
                idealGrades: papers.values.filter { $0 > 0 }.sorted(by: >))
        }
        self.prepared = prepared
    }

    /// The readers `evaluate(run)` reports, in byte order.
    public func evaluatedUsers(_ run: Run) -> [UserID] {
        switch options.missingUsers {
        case .skip: return run.lists.keys.filter { prepared[$0] != nil }.sorted()
        case .countAsZero: return prepared.keys.sorted()
        }
    }

    /// One reader's list joined with the reader's judgments (empty when the reader has no list).
    public func judgedRanking(user: UserID, items: [ScoredPaper]) -> JudgedRanking {
        let p = prepared[user] ?? Prepared(judgments: [:], relevantCount: 0, idealGrades: [])
        let order = options.tieBreak.order(items)
        var grades = [Int](repeating: 0, count: items.count)
        if !p.judgments.isEmpty {
            for (rank, index) in order.enumerated() {
                if let g = p.judgments[items[index].paper] { grades[rank] = g }
            }
        }
        return JudgedRanking(
            grades: grades, relevantCount: p.relevantCount, idealGrades: p.idealGrades,
            threshold: options.relevanceThreshold)
    }

    /// Per-reader values of `metrics` (row per reader, in byte order) and their means.
    public func evaluate(_ run: Run, metrics: [Metric]) -> EvaluationResult {
        let users = evaluatedUsers(run)
        let m = metrics.count
        var values = [Double](repeating: 0, count: users.count * m)
        let options = self.options
        let work: @Sendable (Int, UnsafeMutableBufferPointer<Double>) -> Void = { [self] u, out in
            let ranking = judgedRanking(user: users[u], items: run.lists[users[u]] ?? [])
            for (j, metric) in metrics.enumerated() { out[u * m + j] = metric.value(ranking, options: options) }
        }
        values.withUnsafeMutableBufferPointer { buf in
            if users.count >= options.parallelThreshold && users.count > 1 {
                let out = SendableBuffer(buf)
                let chunks = Swift.min(users.count, ProcessInfo.processInfo.activeProcessorCount * 8)
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let lo = users.count * c / chunks, hi = users.count * (c + 1) / chunks
                    for u in lo..<hi { work(u, out.buffer) }
                }
            } else {
                for u in users.indices { work(u, buf) }
            }
        }
        return EvaluationResult(users: users, metrics: metrics, values: values)
    }
}

/// Lets `concurrentPerform` workers write disjoint slots of one buffer.
private struct SendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Double>
    init(_ buffer: UnsafeMutableBufferPointer<Double>) { self.buffer = buffer }
}

/// Per-reader metric values in a dense table.
public struct EvaluationResult: Sendable, Hashable {
    /// Evaluated readers, byte order.
    public let users: [UserID]
    public let metrics: [Metric]
    /// Row-major: `values[u * metrics.count + j]` is metric j of reader u.
    public let values: [Double]

    public func value(user u: Int, metric j: Int) -> Double { values[u * metrics.count + j] }

    /// Arithmetic mean over the evaluated readers per metric (0 when there are none),
    /// summed in reader order so it is the same on every run.
    public var means: [Double] {
        let m = metrics.count
        var sums = [Double](repeating: 0, count: m)
        for u in users.indices { for j in 0..<m { sums[j] += values[u * m + j] } }
        return users.isEmpty ? sums : sums.map { $0 / Double(users.count) }
    }
}
extension Metric {
    /// The value of this metric for one reader under `options`.
    public func value(_ r: JudgedRanking, options: EvaluationOptions = .init()) -> Double {
        switch self {
        case .ndcg(let k): return Metric.ndcg(r, cutoff: k, gain: options.gain, ideal: options.ideal)
        case .dcg(let k): return Metric.dcg(r, cutoff: k, gain: options.gain)
        case .averagePrecision(let k): return Metric.averagePrecision(r, cutoff: k)
        case .reciprocalRank(let k): return Metric.reciprocalRank(r, cutoff: k)
        case .precision(let k): return Metric.precision(r, cutoff: k)
        case .recall(let k): return Metric.recall(r, cutoff: k)
        case .hitRate(let k): return Metric.hitRate(r, cutoff: k)
        }
    }
}
