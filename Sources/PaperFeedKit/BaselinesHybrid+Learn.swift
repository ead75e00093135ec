import Dispatch
import Foundation
import LinearAlgebra
import PaperFeedEvaluation

/// Learning the weights of a `HybridCatalogRanker` from a split of the training lists only.
///
/// Input: the parts fitted on the inner training lists `train` and the inner held-out items
/// `heldOut` (from `CTRSplit.validationSplit`, never the published test lists). Objective: mean
/// recall@`cutoff` over the readers with held-out items, of the lists the hybrid makes.
///
/// Search (coordinate ascent, Metzler & Croft 2007): the first part's weight is fixed at 1
/// (standardized scores make only ratios matter); the others start at 1. Each round visits the
/// free weights in order and tries every value of `grid` with the others fixed; a value is
/// kept only if it beats the current recall by more than 1e-9 (ties keep the current value,
/// then the earlier grid value). Stops after a round without a change or after `rounds` (one
/// round when there is a single free weight: it is then a full grid search).
/// Each coordinate costs one scoring pass (the parts are scored once per block of readers and
/// every grid value is ranked from the same standardized scores).
struct HybridWeightSearch {
    struct Trial: Sendable { var weights: [Double]; var recall: Double }

    var grid: [Double] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.2, 1.4, 2, 3, 5]
    var rounds = 2
    var cutoff = 300
    var blockSize = 256

    func learn(parts: [any CatalogScorer], train: [[Int]], heldOut: [[Int]]) throws -> (weights: [Double], trials: [Trial]) {
        let readers = heldOut.indices.filter { !heldOut[$0].isEmpty }
        guard !readers.isEmpty else {
            throw KitError.invalid("hybrid: no reader has more training items than the learning holdout, so there is "
                + "nothing to learn the weights from; give \"weights\" or use a split with longer training lists")
        }
        var weights = [Double](repeating: 1, count: parts.count)
        var trials: [Trial] = []
        guard parts.count > 1 else { return (weights, trials) }
        var current = try evaluate(parts: parts, train: train, heldOut: heldOut, readers: readers,
                                   candidates: [weights])[0]
        trials.append(Trial(weights: weights, recall: current))
        // With one free weight the first round is already an exhaustive search over the grid.
        for _ in 0..<(parts.count == 2 ? 1 : rounds) {
            var moved = false
            for p in 1..<parts.count {
                let candidates = grid.map { v -> [Double] in var w = weights; w[p] = v; return w }
                let recalls = try evaluate(parts: parts, train: train, heldOut: heldOut, readers: readers, candidates: candidates)
                for (w, r) in zip(candidates, recalls) { trials.append(Trial(weights: w, recall: r)) }
                for (w, r) in zip(candidates, recalls) where r > current + 1e-9 {
                    current = r; weights = w; moved = true
                }
            }
            if !moved { break }
        }
        return (weights, trials)
    }

    /// Mean recall@cutoff of each weight vector in `candidates` over `readers`.
    func evaluate(parts: [any CatalogScorer], train: [[Int]], heldOut: [[Int]], readers: [Int],
                  candidates: [[Double]]) throws -> [Double] {
        var sums = [Double](repeating: 0, count: candidates.count)
        let cut = cutoff
        for start in stride(from: 0, to: readers.count, by: blockSize) {
            let block = Array(readers[start..<min(start + blockSize, readers.count)])
            let z = try HybridCatalogRanker.standardized(parts: parts, block: block, train: train)
            let recalls = RecallSlots(block.count, candidates.count)
            DispatchQueue.concurrentPerform(iterations: block.count) { r in
                let held = Set(heldOut[block[r]])
                var values = [Double](repeating: 0, count: candidates.count)
                for (c, w) in candidates.enumerated() {
                    var row = HybridCatalogRanker.combine(z, row: r, weights: w.map(Float.init))
                    for j in train[block[r]] { row[j] = -.infinity }
                    let top = row.withUnsafeMutableBufferPointer { ContentCatalogRanker.topK($0, k: cut) }
                    values[c] = Double(top.reduce(0) { $0 + (held.contains($1.item) ? 1 : 0) }) / Double(held.count)
                }
                recalls.set(r, values)
            }
            // Summed in reader order, so the result does not depend on thread scheduling.
            for v in recalls.values { for c in v.indices { sums[c] += v[c] } }
        }
        return sums.map { $0 / Double(readers.count) }
    }
}

/// Per-reader recall vectors written by concurrent workers.
final class RecallSlots: @unchecked Sendable {
    private var storage: [[Double]]
    private let lock = NSLock()
    init(_ count: Int, _ width: Int) { storage = Array(repeating: [Double](repeating: 0, count: width), count: count) }
    func set(_ i: Int, _ v: [Double]) { lock.lock(); storage[i] = v; lock.unlock() }
    var values: [[Double]] { lock.lock(); defer { lock.unlock() }; return storage }
}
