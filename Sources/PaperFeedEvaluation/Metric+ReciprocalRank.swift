extension Metric {
    /// Reciprocal rank: 1 / (rank of the first relevant paper within the first k), 0 if none;
    /// MRR is its mean over readers.
    ///
    /// Without a cut-off this is trec_eval's `recip_rank`; with one it is ranx's `mrr@k`.
    /// Relevant = grade ≥ threshold (1).
    public static func reciprocalRank(_ r: JudgedRanking, cutoff k: Int?) -> Double {
        let n = r.depth(k)
        for i in 0..<n where r.isRelevant(r.grades[i]) { return 1 / Double(i + 1) }
        return 0
    }
}
