import PaperFeedCore

/// The one rule by which PaperFeed writes run files (documented in docs/outputs.md, "Run
/// files"), so that trec_eval, pytrec_eval, ranx and `paperfeed metrics` all read back exactly
/// the order that was evaluated:
///
/// 1. **Order.** A reader's items are written in the ranker's order: its list order (the
///    `RankedList` rule is score descending, ties by paper id ascending; MMR lists keep their
///    MMR order). A run read from a file is put in evaluation order first (score descending,
///    ties by the given `TieBreak`).
/// 2. **Strictly decreasing scores, also in single precision.** trec_eval (and so pytrec_eval)
///    keeps scores as 32-bit floats, so two doubles closer than a float ulp become a tie it
///    breaks by paper id. Written scores are therefore float32 values:
///    `f_1 = Float(s_1)`, `f_i = min(Float(s_i), f_{i−1} − δ(f_{i−1}))` with
///    `δ(x) = ulp(max(|x|, 1))` in float32 (1.19e-7 for |x| ≤ 1), computed in float32. A score at
///    least δ below the previous written one keeps its float32 value; ties, near-ties and
///    out-of-order scores (after MMR) are pushed just below. δ is at least one ulp of the value,
///    so the step always lowers it, and it never reaches subnormals near 0.
/// 3. **Printing.** The written score is `Double(f_i)` in Swift's shortest round-trip form: a
///    double reader gets exactly `Double(f_i)`, a float reader exactly `f_i`.
///
/// With no ties left in either precision, every tool's tie rule is moot.
public enum RunScores {
    /// The written scores for `scores` in list order (rule 2). Same length; strictly decreasing
    /// as doubles and as float32 values.
    public static func strictlyDecreasing(_ scores: [Double]) -> [Double] {
        guard var previous = scores.first.map(Float.init) else { return [] }
        var out = [Double(previous)]
        out.reserveCapacity(scores.count)
        for s in scores.dropFirst() {
            let next = min(Float(s), previous - max(abs(previous), 1).ulp)
            out.append(Double(next))
            previous = next
        }
        return out
    }

    /// Whether `scores` is strictly decreasing as doubles and after rounding to float32.
    public static func isStrictlyDecreasing(_ scores: [Double]) -> Bool {
        zip(scores, scores.dropFirst()).allSatisfy { $0 > $1 && Float($0) > Float($1) }
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
