import Collaborative
import Dispatch
import Foundation
import LinearAlgebra
import PaperFeedCore
import PaperFeedEvaluation

/// One signal scored over the whole catalogue for blocks of readers (the CTR protocol).
protocol CatalogScorer: Sendable {
    /// `readers.count × items` scores (the readers' own training items included; callers mask).
    func scores(readers: [Int]) throws -> DenseMatrix
}

/// Content: `p_u · e_i` with `p_u = Σ_{j∈T_u} e_j` (the `.profile` aggregation of `ContentCatalogRanker`).
struct ContentProfileScorer: CatalogScorer {
    let embeddings: DenseMatrix
    let train: [[Int]]
    func scores(readers: [Int]) throws -> DenseMatrix {
        let d = embeddings.columns
        var profiles = DenseMatrix(zeros: readers.count, d)
        for (r, u) in readers.enumerated() {
            for j in train[u] { for c in 0..<d { profiles.values[r * d + c] += embeddings.values[j * d + c] } }
        }
        return try BLAS.gemm(profiles, embeddings, transposeB: true)
    }
}

/// Implicit ALS: `x_uᵀ y_i` (one sgemm per block).
struct ALSScorer: CatalogScorer {
    let model: ImplicitALSModel
    func scores(readers: [Int]) throws -> DenseMatrix { try model.scores(users: readers) }
}

/// Item-kNN CF: `Σ_{j∈T_u∩N_k(i)} s_ij`.
struct ItemKNNScorer: CatalogScorer {
    let model: ItemKNNModel
    let interactions: InteractionMatrix
    func scores(readers: [Int]) throws -> DenseMatrix { try model.scores(users: readers, of: interactions) }
}

/// Popularity in the training lists: `log(1 + |U_i|)`, the same row for every reader.
struct PopularityScorer: CatalogScorer {
    let logDegree: [Float]
    init(_ x: InteractionMatrix) { logDegree = x.itemDegrees.map { Float(log1p(Double($0))) } }
    func scores(readers: [Int]) throws -> DenseMatrix {
        var out = DenseMatrix(zeros: readers.count, logDegree.count)
        for r in readers.indices { out.values.replaceSubrange((r * logDegree.count)..<((r + 1) * logDegree.count), with: logDegree) }
        return out
    }
}

/// A weighted sum of standardized signals over the catalogue (a late-fusion hybrid).
///
/// For reader `u` with candidates `C_u` (every item not in the reader's training list) and part
/// `p` with scores `s_p(u, i)`, the part is standardized over the reader's candidates,
/// `z_p(u, i) = (s_p(u, i) − mean_{C_u} s_p) / sd_{C_u} s_p` (0 when the sd is 0, e.g. a reader
/// unknown to a collaborative part), and
///
///     score(u, i) = Σ_p w_p · z_p(u, i)
///
/// Standardizing per reader makes the weights comparable across readers and parts (content
/// cosines and ALS dot products live on different scales). Top-k per reader by the bounded
/// heap of `ContentCatalogRanker` (ties by item index ascending). Weights come from
/// `learnWeights` on a split of the training lists, or are given.
struct HybridCatalogRanker: Sendable {
    let parts: [any CatalogScorer]
    let weights: [Double]
    var blockSize = 256

    /// Top-`k` (item, score) per reader of `readers` (indices into `train`), same order.
    func rank(train: [[Int]], readers: [Int], k: Int) throws -> [[(item: Int, score: Float)]] {
        var out: [[(item: Int, score: Float)]] = []
        out.reserveCapacity(readers.count)
        for start in stride(from: 0, to: readers.count, by: blockSize) {
            let block = Array(readers[start..<min(start + blockSize, readers.count)])
            let z = try Self.standardized(parts: parts, block: block, train: train)
            let results = ResultSlots(block.count)
            let w = weights.map(Float.init)
            DispatchQueue.concurrentPerform(iterations: block.count) { r in
                var row = Self.combine(z, row: r, weights: w)
                for j in train[block[r]] { row[j] = -.infinity }
                results.set(r, row.withUnsafeMutableBufferPointer { ContentCatalogRanker.topK($0, k: k) })
            }
            out += results.values
        }
        return out
    }

    /// Each part's scores for `block`, standardized per reader over the candidates.
    static func standardized(parts: [any CatalogScorer], block: [Int], train: [[Int]]) throws -> [DenseMatrix] {
        try parts.map { part in
            var s = try part.scores(readers: block)
            let n = s.columns
            s.values.withUnsafeMutableBufferPointer { raw in
                let buffer = UnsafeSendable(raw)
                DispatchQueue.concurrentPerform(iterations: block.count) { r in
                    let row = UnsafeMutableBufferPointer(rebasing: buffer.value[(r * n)..<((r + 1) * n)])
                    // Sums over every item, minus the reader's own (training) items.
                    var sum = 0.0, sumSquares = 0.0
                    for i in 0..<n { let v = Double(row[i]); sum += v; sumSquares += v * v }
                    let own = train[block[r]]
                    for j in own { let v = Double(row[j]); sum -= v; sumSquares -= v * v }
                    let count = Double(n - own.count)
                    let mean = count > 0 ? sum / count : 0
                    let variance = count > 0 ? max(0, sumSquares / count - mean * mean) : 0
                    let sd = variance.squareRoot()
                    let scale = sd > 1e-12 * max(1, abs(mean)) ? Float(1 / sd) : 0
                    let m = Float(mean)
                    for i in 0..<n { row[i] = (row[i] - m) * scale }
                }
            }
            return s
        }
    }

    static func combine(_ z: [DenseMatrix], row r: Int, weights: [Float]) -> [Float] {
        let n = z[0].columns
        var row = [Float](repeating: 0, count: n)
        for (p, m) in z.enumerated() where weights[p] != 0 {
            let w = weights[p]
            m.values.withUnsafeBufferPointer { v in
                for i in 0..<n { row[i] += w * v[r * n + i] }
            }
        }
        return row
    }
}
