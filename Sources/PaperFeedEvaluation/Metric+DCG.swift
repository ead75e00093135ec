import Foundation

extension Metric {
    /// Discounted cumulative gain at cut-off k (whole list when `k` is nil), not normalized:
    ///
    ///     DCG@k = Σ_{i=1..min(k,n)} gain(g_i) / log2(i + 1)
    ///
    /// gain as in `ndcg` (linear by default; grades ≤ 0 and unjudged papers gain 0); ranx
    /// `dcg@k` (Järvelin & Kekäläinen 2002). trec_eval has no cut-off DCG.
    ///
    /// With inverse-propensity gains (a logged read at position p counts grade / e(p)), the mean
    /// DCG over readers is an unbiased estimate of the mean DCG under the readers' true
    /// relevance (E[read / e(p)] = relevance under the position-based model); nDCG is not, since
    /// its per-reader normalization by the same noisy gains cancels the weights (a list with one
    /// read scores the read paper's discount, whatever its position).
    public static func dcg(_ r: JudgedRanking, cutoff k: Int?, gain: EvaluationOptions.Gain) -> Double {
        let n = r.depth(k)
        var dcg = 0.0
        for i in 0..<n where r.grades[i] > 0 { dcg += gainValue(r.grades[i], gain) * Discount.at(i) }
        return dcg
    }
}
