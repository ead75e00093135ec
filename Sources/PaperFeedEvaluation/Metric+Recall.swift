extension Metric {
    /// Recall@k = (relevant papers among the first k) / R, with R the reader's relevant judged
    /// papers (ranked or not); 0 when R = 0. Without a cut-off: over the whole list.
    ///
    /// Same as trec_eval `recall_k` and ranx `recall@k`. Relevant = grade ≥ threshold (1).
    public static func recall(_ r: JudgedRanking, cutoff k: Int?) -> Double {
        guard r.relevantCount > 0 else { return 0 }
        let n = r.depth(k)
        var hits = 0
        for i in 0..<n where r.isRelevant(r.grades[i]) { hits += 1 }
        return Double(hits) / Double(r.relevantCount)
    }
}
