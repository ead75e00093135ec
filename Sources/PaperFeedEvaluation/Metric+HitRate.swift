extension Metric {
    /// HitRate@k: 1 when at least one relevant paper is among the first k, else 0.
    ///
    /// trec_eval `success_k`, ranx `hit_rate@k`. Relevant = grade ≥ threshold (1).
    public static func hitRate(_ r: JudgedRanking, cutoff k: Int?) -> Double {
        let n = r.depth(k)
        for i in 0..<n where r.isRelevant(r.grades[i]) { return 1 }
        return 0
    }
}

