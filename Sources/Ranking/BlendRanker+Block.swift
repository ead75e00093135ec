import Foundation
import LinearAlgebra
import PaperFeedCore

extension BlendRanker {
    /// Scores a block of readers against every candidate with one sgemm
    /// (readers × d)·(candidates × d)ᵀ, adds the item terms, applies exclusions and the skip
    /// penalty, and keeps the top k per reader with a heap.
    func scoreBlock(_ users: [UserID], k: Int) throws -> [RankedList] {
        let n = candidateRows.count
        let d = space.dimensions
        let hs = users.map { history($0) }
        var profiles = DenseMatrix(zeros: users.count, d)
        for (r, h) in hs.enumerated() {
            for j in 0..<d { profiles.values[r * d + j] = h.profile[j] }
        }
        let sims = n == 0 ? DenseMatrix(zeros: users.count, 0) : try BLAS.gemm(profiles, candidateMatrix, transposeB: true)
        let penalty = Float(configuration.feedback.skipPenalty)
        var row = [Float](repeating: 0, count: n)
        var lists: [RankedList] = []
        lists.reserveCapacity(users.count)
        for (r, h) in hs.enumerated() {
            let cold = h.isCold
            let w = cold ? configuration.coldStartWeights : configuration.weights
            let item = cold ? coldItemTerm : warmItemTerm
            var lo = Float.infinity, hi = -Float.infinity
            let base = r * n
            if !cold {
                for j in 0..<n {
                    let s = sims.values[base + j]
                    lo = min(lo, s)
                    hi = max(hi, s)
                }
            }
            let scale: Float = !cold && hi > lo ? Float(w.content) / (hi - lo) : 0
            for j in 0..<n { row[j] = (sims.values[base + j] - lo) * scale + item[j] }
            if scale == 0 { for j in 0..<n { row[j] = item[j] } }
            for p in h.skipped { if let c = candidateIndex[p] { row[Int(c)] -= penalty } }
            if configuration.candidates.excludeRead {
                for p in h.read { if let c = candidateIndex[p] { row[Int(c)] = .nan } }
            }
            let pool = configuration.diversity.enabled ? k * max(1, configuration.diversity.poolFactor) : k
            var top = TopK(k: pool)
            for j in 0..<n where row[j] > top.threshold { top.offer(row[j], Int32(j)) }  // later j loses ties
            var picked = top.sorted()
            if configuration.diversity.enabled { picked = mmr(picked, k: k) }
            let items = picked.map { p -> RankedItem in
                let j = Int(p.index)
                var signals: [String: Double] = [:]
                signals[Signal.content.rawValue] = scale == 0 ? 0 : Double((sims.values[base + j] - lo) * scale)
                signals[Signal.trend.rawValue] = w.trend * Double(normalized[.trend]![j])
                signals[Signal.feedback.rawValue] = w.feedback * Double(normalized[.feedback]![j])
                signals[Signal.freshness.rawValue] = w.freshness * Double(normalized[.freshness]![j])
                if h.skipped.contains(candidateIDs[j]) { signals["skip_penalty"] = -Double(penalty) }
                return RankedItem(paper: candidateIDs[j], score: Double(p.score), signals: signals)
            }
            lists.append(RankedList(user: h.user, items: items))
        }
        return lists
    }

    /// Maximal marginal relevance over the pool: pick argmax λ·score − (1 − λ)·max cos(item, picked),
    /// ties by pool order.
    func mmr(_ pool: [(score: Float, index: Int32)], k: Int) -> [(score: Float, index: Int32)] {
        let lambda = Float(configuration.diversity.lambda)
        let d = space.dimensions
        var remaining = pool
        var chosen: [(score: Float, index: Int32)] = []
        var maxSim = [Float](repeating: -.infinity, count: pool.count)
        while chosen.count < k, !remaining.isEmpty {
            var best = 0
            var bestValue = -Float.infinity
            for (i, c) in remaining.enumerated() {
                let penalty = chosen.isEmpty ? 0 : maxSim[i]
                let v = lambda * c.score - (1 - lambda) * penalty
                if v > bestValue { bestValue = v; best = i }
            }
            let pick = remaining.remove(at: best)
            maxSim.remove(at: best)
            chosen.append(pick)
            let pr = candidateRows[Int(pick.index)]
            let pv = space.embeddings.values[(pr * d)..<((pr + 1) * d)]
            for (i, c) in remaining.enumerated() {
                let cr = candidateRows[Int(c.index)]
                maxSim[i] = max(maxSim[i], dot(space.embeddings.values[(cr * d)..<((cr + 1) * d)], pv))
            }
        }
        return chosen
    }
}
