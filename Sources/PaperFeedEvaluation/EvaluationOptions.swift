/// Conventions of the ranking metrics. The defaults are trec_eval's (`trec_eval -m all_trec`
/// without `-c`), which the reference values in Tests/EvaluationTests/Fixtures come from.
public struct EvaluationOptions: Sendable, Hashable {
    /// Gain of a paper with grade g in nDCG.
    public enum Gain: String, Sendable, Hashable, CaseIterable, Codable {
        /// g (trec_eval `ndcg`, ranx `ndcg`; Järvelin & Kekäläinen 2002). Default.
        case linear
        /// 2^g − 1 (ranx `ndcg_burges`; Burges et al. 2005).
        case exponential

        /// Parses `linear` or `exp`/`exponential` (the CLI's `--gain`).
        public init(parsing text: String) throws {
            switch text.lowercased() {
            case "linear", "lin": self = .linear
            case "exp", "exponential", "burges": self = .exponential
            default: throw EvaluationError.invalidOption(name: "gain", value: text, accepted: ["linear", "exp"])
            }
        }
    }

    /// Which grades make the ideal ranking of nDCG.
    public enum Ideal: String, Sendable, Hashable, CaseIterable, Codable {
        /// Every judged paper of the reader in the qrels, also those the run never ranked
        /// (trec_eval, ranx). Default.
        case allJudged
        /// Only the papers the run ranked, re-sorted by grade (scikit-learn `ndcg_score`, which
        /// scores a permutation of given candidates).
        case rankedCandidates
    }

    /// What happens to readers with judgments but no ranked list.
    public enum MissingUsers: String, Sendable, Hashable, CaseIterable, Codable {
        /// Not evaluated, not in the mean (trec_eval default, ranx). Default.
        case skip
        /// Evaluated with an empty list: every metric 0, and counted in the mean (trec_eval `-c`).
        case countAsZero
    }

    public var gain: Gain
    public var ideal: Ideal
    public var missingUsers: MissingUsers
    /// Order of equal scores.
    public var tieBreak: TieBreak
    /// A judged paper is relevant (for MAP, MRR, P, recall, hit) when its grade ≥ this
    /// (trec_eval `-l`, ranx `rel_lvl`; default 1). nDCG uses the grades themselves.
    public var relevanceThreshold: Int
    /// Parallelize over readers (DispatchQueue.concurrentPerform) from this many readers on.
    public var parallelThreshold: Int

    public init(
        gain: Gain = .linear, ideal: Ideal = .allJudged, missingUsers: MissingUsers = .skip,
        tieBreak: TieBreak = .paperIDDescending, relevanceThreshold: Int = 1, parallelThreshold: Int = 256
    ) {
        self.gain = gain
        self.ideal = ideal
        self.missingUsers = missingUsers
        self.tieBreak = tieBreak
        self.relevanceThreshold = relevanceThreshold
        self.parallelThreshold = parallelThreshold
    }

    /// trec_eval's conventions (the default).
    public static let trecEval = EvaluationOptions()
    /// ranx's conventions for `ndcg_burges`: exponential gain, ties in input order.
    public static let ranxBurges = EvaluationOptions(gain: .exponential, tieBreak: .inputOrder)
}
