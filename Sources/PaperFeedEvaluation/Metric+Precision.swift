extension Metric {
    /// Precision@k = (relevant papers among the first k) / k.
    ///
    /// The denominator is k even when the list is shorter than k (trec_eval `P_k`: missing
    /// ranks count as not relevant). Relevant = grade ≥ threshold (1).
    public static func precision(_ r: JudgedRanking, cutoff k: Int) -> Double {
        let n = r.depth(k)
        var hits = 0
        for i in 0..<n where r.isRelevant(r.grades[i]) { hits += 1 }
        return Double(hits) / Double(k)
    }
}
