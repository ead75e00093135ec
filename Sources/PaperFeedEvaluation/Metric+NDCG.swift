import Foundation

extension Metric {
    /// Normalized discounted cumulative gain at cut-off k (whole list when `k` is nil).
    ///
    ///     DCG@k  = Σ_{i=1..min(k,n)} gain(g_i) / log2(i + 1)
    ///     IDCG@k = the same sum over the ideal grades sorted descending
    ///     nDCG@k = DCG@k / IDCG@k, and 0 when IDCG@k = 0 (a reader with nothing relevant)
    ///
    /// Conventions (defaults = trec_eval 9.x `ndcg` / `ndcg_cut_k`, Järvelin & Kekäläinen 2002):
    /// - gain(g) = g (`.linear`), or 2^g − 1 (`.exponential`, ranx `ndcg_burges`, Burges et al. 2005);
    ///   grades ≤ 0 and unjudged papers gain 0.
    /// - ideal (`.allJudged`): every judged paper of the reader, also those never ranked
    ///   (trec_eval, ranx — ranx cuts its ideal at k too, so both agree); `.rankedCandidates`
    ///   uses only the ranked papers' grades (scikit-learn `ndcg_score`).
    /// - the ranking is the run sorted by score descending, ties by paper id descending.
    public static func ndcg(_ r: JudgedRanking, cutoff k: Int?, gain: EvaluationOptions.Gain,
                            ideal: EvaluationOptions.Ideal) -> Double {
        let n = r.depth(k)
        var dcg = 0.0
        for i in 0..<n where r.grades[i] > 0 {
            dcg += gainValue(r.grades[i], gain) * Discount.at(i)
        }
        guard dcg > 0 else { return 0 }
        let idealGrades: [Int]
        switch ideal {
        case .allJudged: idealGrades = r.idealGrades
        case .rankedCandidates: idealGrades = r.grades.filter { $0 > 0 }.sorted(by: >)
        }
        let m = k.map { Swift.min($0, idealGrades.count) } ?? idealGrades.count
        var idcg = 0.0
        for i in 0..<m { idcg += gainValue(idealGrades[i], gain) * Discount.at(i) }
        return idcg > 0 ? dcg / idcg : 0
    }

    @inline(__always) static func gainValue(_ g: Int, _ gain: EvaluationOptions.Gain) -> Double {
        guard g > 0 else { return 0 }
        switch gain {
        case .linear: return Double(g)
        case .exponential: return g < 63 ? Double((1 << g) - 1) : pow(2, Double(g)) - 1
        }
    }
}
