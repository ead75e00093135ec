import PaperFeedCore

/// The one rule by which PaperFeed writes run files (documented in docs/outputs.md, "Run
/// files"), so that trec_eval, pytrec_eval, ranx and `paperfeed metrics` all read back exactly
/// the order that was evaluated:
///
/// 1. **Order.** A reader's items are written in the ranker's order: its list order (the
///    `RankedList` rule is score descending, ties by paper id ascending; MMR lists keep their
///    MMR order). A run read from a file is put in evaluation order first (score descending,
///    ties by the given `TieBreak`).
/// 2. **Strictly decreasing scores.** The written score of the item at position i is
///    `w_1 = s_1`, `w_i = min(s_i, w_{i−1} − δ(w_{i−1}))` with `δ(x) = ulp(max(|x|, 1))`
///    (2.2e-16 for |x| ≤ 1). A score at least δ below the previous written score is written
///    unchanged; any other (a tie, a near-tie, or an out-of-order score after MMR) becomes
///    `w_{i−1} − δ`.
///    δ is at least one ulp of the value, so the subtraction always lowers it, and it never
///    lands in subnormals near 0.
/// 3. **Printing.** Scores are printed in Swift's shortest round-trip form, which every
///    correctly rounded parser (C `strtod`, Python `float`, ours) reads back to the same double.
///
/// With no ties left, every tool's tie rule is moot: sorting by score gives the written order.
public enum RunScores {
    /// The written scores for `scores` in list order (rule 2). Same length; strictly decreasing.
    public static func strictlyDecreasing(_ scores: [Double]) -> [Double] {
        var out = scores
        guard out.count > 1 else { return out }
        for i in 1..<out.count {
            let previous = out[i - 1]
            out[i] = min(out[i], previous - max(abs(previous), 1).ulp)
        }
        return out
    }

    /// Whether `scores` is strictly decreasing (what `strictlyDecreasing` guarantees).
    public static func isStrictlyDecreasing(_ scores: [Double]) -> Bool {
        zip(scores, scores.dropFirst()).allSatisfy { $0 > $1 }
    }
}

extension Run {
    /// The run as it is written to a TREC file (see `RunScores`): each reader's items in
    /// evaluation order under `tieBreak` (`nil`: as given, e.g. a ranker's list order), scores
    /// made strictly decreasing. Evaluating the result with any tie rule gives the same values
    /// as evaluating `self` with `tieBreak` (or, for `nil`, in list order).
    public func published(order tieBreak: TieBreak? = .inputOrder) -> Run {
        var out: [UserID: [ScoredPaper]] = [:]
        out.reserveCapacity(lists.count)
        for (user, items) in lists {
            let ordered = tieBreak.map { t in t.order(items).map { items[$0] } } ?? items
            let scores = RunScores.strictlyDecreasing(ordered.map(\.score))
            out[user] = zip(ordered, scores).map { ScoredPaper(paper: $0.paper, score: $1) }
        }
        return Run(out)
    }
}
