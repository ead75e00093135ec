import PaperFeedCore

extension BlendRanker {
    /// Maximal marginal relevance (Carbonell & Goldstein 1998) over the pool (best first):
    /// repeatedly pick argmax λ·score − (1 − λ)·redundancy, redundancy = max(0, max cos(item, picked))
    /// (0 before the first pick; a negative cosine is "unrelated", not a bonus, which also keeps
    /// the values below monotone); ties go to the lower candidate index (paper id ascending).
    ///
    /// Returns the picks in order with their MMR value as `score`. The values never increase
    /// down the list: redundancies only grow as items are picked, so every remaining value only
    /// falls; with ties by paper id, the list is sorted by (score desc, paper id asc) like an
    /// undiversified one.
    func mmr(_ pool: [(score: Float, index: Int32)], k: Int) -> [(index: Int32, score: Float, redundancy: Float)] {
        let lambda = Float(configuration.diversity.lambda)
        let d = space.dimensions
        let e = space.embeddings.values
        var remaining = pool
        var redundancy = [Float](repeating: 0, count: pool.count)
        var chosen: [(index: Int32, score: Float, redundancy: Float)] = []
        chosen.reserveCapacity(min(k, pool.count))
        while chosen.count < k, !remaining.isEmpty {
            var best = 0
            var bestValue = -Float.infinity
            for (i, c) in remaining.enumerated() {
                let v = lambda * c.score - (1 - lambda) * redundancy[i]
                if v > bestValue || (v == bestValue && c.index < remaining[best].index) {
                    bestValue = v
                    best = i
                }
            }
            let pick = remaining.remove(at: best)
            let pickRedundancy = redundancy.remove(at: best)
            chosen.append((index: pick.index, score: bestValue, redundancy: pickRedundancy))
            let pr = candidateRows[Int(pick.index)]
            let pv = e[(pr * d)..<((pr + 1) * d)]
            for (i, c) in remaining.enumerated() {
                let cr = candidateRows[Int(c.index)]
                redundancy[i] = max(redundancy[i], dot(e[(cr * d)..<((cr + 1) * d)], pv))
            }
        }
        return chosen
    }
}
