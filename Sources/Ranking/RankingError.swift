/// Every error of the Ranking module; messages say what to do.
public enum RankingError: Error, Equatable, CustomStringConvertible {
    case badConfiguration(String, reason: String)
    case unknownPaper(String)
    case noCandidates(String)
    case dimensionMismatch(String)
    /// A ranker could not be learned from the log.
    case learning(String)
    /// A learned ranker (artifact) is not usable with this build, model or store.
    case badRanker(String, reason: String)

    public var description: String {
        switch self {
        case .badConfiguration(let s, let r): return "\(s): not a valid ranking configuration: \(r)"
        case .unknownPaper(let p): return "paper \(p) is not in the topic model; refit or fold it in first"
        case .noCandidates(let why): return "no candidate papers: \(why); widen candidates.windowDays or check --as-of"
        case .dimensionMismatch(let why): return "dimension mismatch: \(why)"
        case .learning(let why): return "cannot learn a ranker: \(why)"
        case .badRanker(let s, let r): return "\(s): not a usable learned ranker: \(r); run paperfeed learn again, or pass --ranker none for the hand-set blend"
        }
    }
}
