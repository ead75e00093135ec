import PaperFeedCore

extension EvaluationOptions {
    /// Largest grade accepted with exponential gain: 2^1000 − 1 ≈ 1.1e301 leaves room for sums
    /// over millions of ranked papers below Double's 1.8e308; 2^1024 is already infinite (and
    /// `--gain exp` printed `-nan` with exit code 0).
    public static let maxExponentialGrade = 1000

    /// Throws `EvaluationError.invalidInput` when `qrels` holds a grade these options cannot
    /// score: with `.exponential` gain, a grade above `maxExponentialGrade`.
    public func check(_ qrels: Qrels) throws {
        guard gain == .exponential else { return }
        for user in qrels.users {
            guard let papers = qrels.judgments[user] else { continue }
            for paper in papers.keys.sorted() where papers[paper]! > EvaluationOptions.maxExponentialGrade {
                throw EvaluationError.invalidInput(
                    "grade \(papers[paper]!) of user \(user.rawValue), paper \(paper.rawValue) is too large for exponential gain "
                        + "(2^g − 1 overflows; at most \(EvaluationOptions.maxExponentialGrade)); use --gain linear or smaller grades")
            }
        }
    }
}

extension ComparisonOptions {
    /// Bounds of the resampling counts: at least 100 (0 permutations made every p-value 1, 0
    /// bootstrap resamples a CI of [0, 0]; with fewer than 1/α permutations no difference can be
    /// significant) and at most 10,000,000.
    public static let resamplingRange = 100...10_000_000

    /// What is wrong with the options (empty when valid): α in (0, 1), confidence level in
    /// (0, 1), permutations and bootstrap resamples in `resamplingRange`.
    public func problems() -> [String] {
        var out: [String] = []
        if !(alpha > 0 && alpha < 1) { out.append("alpha = \(alpha) must be in (0, 1)") }
        if !(confidenceLevel > 0 && confidenceLevel < 1) { out.append("confidence level = \(confidenceLevel) must be in (0, 1)") }
        let r = ComparisonOptions.resamplingRange
        if !r.contains(permutations) { out.append("permutations = \(permutations) must be in \(r.lowerBound)…\(r.upperBound)") }
        if !r.contains(bootstrapResamples) { out.append("bootstrap = \(bootstrapResamples) must be in \(r.lowerBound)…\(r.upperBound)") }
        return out
    }
}
