extension Metric {
    /// Average precision at cut-off k (whole list when `k` is nil); MAP is its mean over readers.
    ///
    ///     AP@k = (1 / R) · Σ_{i ≤ min(k,n), paper i relevant} P@i,    P@i = (relevant in first i) / i
    ///
    /// R is the number of relevant judged papers of the reader, ranked or not (trec_eval `map`;
    /// ranx `map@k` uses the same R, not min(k, R)); AP = 0 when R = 0. Relevant = grade ≥
    /// threshold (1). Source: trec_eval 9.x `m_map.c` semantics; ranx 0.3 `average_precision`.
    public static func averagePrecision(_ r: JudgedRanking, cutoff k: Int?) -> Double {
        guard r.relevantCount > 0 else { return 0 }
        let n = r.depth(k)
        var hits = 0
        var sum = 0.0
        for i in 0..<n where r.isRelevant(r.grades[i]) {
            hits += 1
            sum += Double(hits) / Double(i + 1)
        }
        return sum / Double(r.relevantCount)
    }
}
