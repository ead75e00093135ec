import Dispatch
import Foundation
import LinearAlgebra
import PaperFeedCore
import PaperFeedEvaluation

/// Content-only ranking over a whole catalogue in topic space (the CTR protocol): every item
/// not in the reader's training set is a candidate.
///
/// Item embeddings `e_i` are unit rows (n × d). Two aggregations of the reader's training
/// items T_u:
/// * `.profile`: score(u, i) = p_u · e_i with p_u = Σ_{j∈T_u} e_j (sum of unit embeddings;
///   the mean ranks the same). Readers × items is one sgemm per block of readers.
/// * `.itemKNN(k, ε)`: item-item cosine s_ji = e_j · e_i, each item j keeps only its `k`
///   most similar other items N_k(j); score(u, i) = Σ_{j∈T_u, i∈N_k(j)} s_ji + ε · p_u · e_i
///   (the ε term only orders items outside every neighbourhood).
///
/// Top-k per reader with a bounded min-heap; ties by item index ascending. Deterministic.
public struct ContentCatalogRanker: Sendable {
    public enum Aggregation: Sendable, Equatable {
        case profile
        case itemKNN(neighbours: Int, profileWeight: Float)
    }

    public let embeddings: DenseMatrix
    public let aggregation: Aggregation
    public let blockSize: Int

    public init(embeddings: DenseMatrix, aggregation: Aggregation, blockSize: Int = 256) {
        self.embeddings = embeddings
        self.aggregation = aggregation
        self.blockSize = blockSize
    }

    /// Top-`k` (item, score) per reader of `readers` (indices into `train`), same order.
    public func rank(train: [[Int]], readers: [Int], k: Int) throws -> [[(item: Int, score: Float)]] {
        let n = embeddings.rows, d = embeddings.columns
        var lists: [[(Int32, Float)]] = []
        var epsilon: Float = 1
        if case let .itemKNN(kn, w) = aggregation {
            lists = try Self.neighbourLists(embeddings, k: kn)
            epsilon = w
        }
        let neighbours = lists
        var out: [[(item: Int, score: Float)]] = []
        out.reserveCapacity(readers.count)
        for start in stride(from: 0, to: readers.count, by: blockSize) {
            let block = Array(readers[start..<min(start + blockSize, readers.count)])
            var profiles = DenseMatrix(zeros: block.count, d)
            for (r, u) in block.enumerated() {
                for j in train[u] { for c in 0..<d { profiles.values[r * d + c] += embeddings.values[j * d + c] } }
            }
            var scores = try BLAS.gemm(profiles, embeddings, transposeB: true, alpha: epsilon)
            let results = ResultSlots(block.count)
            scores.values.withUnsafeMutableBufferPointer { raw in
                let buffer = UnsafeSendable(raw)
                DispatchQueue.concurrentPerform(iterations: block.count) { r in
                    let row = UnsafeMutableBufferPointer(rebasing: buffer.value[(r * n)..<((r + 1) * n)])
                    let items = train[block[r]]
                    if !neighbours.isEmpty {
                        for j in items { for (i, s) in neighbours[j] { row[Int(i)] += s } }
                    }
                    for j in items { row[j] = -.infinity }
                    results.set(r, Self.topK(row, k: k))
                }
            }
            out += results.values
        }
        return out
    }

    /// For each item, its `k` most similar other items by cosine (blocks of 512 rows × all items).
    static func neighbourLists(_ e: DenseMatrix, k: Int) throws -> [[(Int32, Float)]] {
        let n = e.rows
        var lists = [[(Int32, Float)]](repeating: [], count: n)
        for start in stride(from: 0, to: n, by: 512) {
            let rows = start..<min(start + 512, n)
            var sims = try BLAS.gemm(e.rows(rows), e, transposeB: true)
            let results = ResultSlots(rows.count)
            sims.values.withUnsafeMutableBufferPointer { raw in
                let buffer = UnsafeSendable(raw)
                DispatchQueue.concurrentPerform(iterations: rows.count) { r in
                    let row = UnsafeMutableBufferPointer(rebasing: buffer.value[(r * n)..<((r + 1) * n)])
                    row[start + r] = -.infinity
                    results.set(r, Self.topK(row, k: k))
                }
            }
            for (r, top) in results.values.enumerated() { lists[start + r] = top.map { (Int32($0.item), $0.score) } }
        }
        return lists
    }

    /// Best `k` of a row (−∞ never kept), best first; ties by index ascending.
    static func topK(_ row: UnsafeMutableBufferPointer<Float>, k: Int) -> [(item: Int, score: Float)] {
        var heap = MinHeap(k: k)
        for i in 0..<row.count where row[i] > heap.threshold { heap.offer(row[i], Int32(i)) }
        return heap.sorted()
    }
}

/// A raw buffer shared by `concurrentPerform` workers that touch disjoint rows.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Per-index results written from concurrent workers.
final class ResultSlots: @unchecked Sendable {
    private var storage: [[(item: Int, score: Float)]]
    private let lock = NSLock()
    init(_ count: Int) { storage = Array(repeating: [], count: count) }
    func set(_ i: Int, _ v: [(item: Int, score: Float)]) { lock.lock(); storage[i] = v; lock.unlock() }
    var values: [[(item: Int, score: Float)]] { lock.lock(); defer { lock.unlock() }; return storage }
}

/// Bounded min-heap of (score, index): the root is the worst kept; worse = lower score, or
/// equal score and higher index.
struct MinHeap {
    let k: Int
    var scores: [Float] = []
    var indices: [Int32] = []
    init(k: Int) { self.k = k; scores.reserveCapacity(k); indices.reserveCapacity(k) }

    @inline(__always) static func worse(_ sa: Float, _ ia: Int32, _ sb: Float, _ ib: Int32) -> Bool {
        sa < sb || (sa == sb && ia > ib)
    }
    /// Items with a score not above this cannot enter (ties with the root by lower index can,
    /// but scanning in index order makes them lose anyway).
    var threshold: Float { scores.count < k ? -.infinity : scores[0] }

    mutating func offer(_ s: Float, _ i: Int32) {
        guard k > 0, !s.isNaN, s > -.infinity else { return }
        if scores.count < k {
            scores.append(s); indices.append(i)
            var c = scores.count - 1
            while c > 0 {
                let p = (c - 1) / 2
                guard Self.worse(scores[c], indices[c], scores[p], indices[p]) else { break }
                scores.swapAt(c, p); indices.swapAt(c, p); c = p
            }
        } else if Self.worse(scores[0], indices[0], s, i) {
            scores[0] = s; indices[0] = i
            var p = 0
            while true {
                let l = 2 * p + 1, r = l + 1
                var m = p
                if l < k && Self.worse(scores[l], indices[l], scores[m], indices[m]) { m = l }
                if r < k && Self.worse(scores[r], indices[r], scores[m], indices[m]) { m = r }
                if m == p { break }
                scores.swapAt(p, m); indices.swapAt(p, m); p = m
            }
        }
    }

    func sorted() -> [(item: Int, score: Float)] {
        zip(scores, indices).sorted { Self.worse($1.0, $1.1, $0.0, $0.1) }.map { (item: Int($0.1), score: $0.0) }
    }
}
