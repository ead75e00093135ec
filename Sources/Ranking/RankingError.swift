/// Every error of the Ranking module; messages say what to do.
public enum RankingError: Error, Equatable, CustomStringConvertible {
    case badConfiguration(String, reason: String)
    case unknownPaper(String)
    case noCandidates(String)
    case dimensionMismatch(String)

    public var description: String {
        switch self {
        case .badConfiguration(let s, let r): return "\(s): not a valid ranking configuration: \(r)"
        case .unknownPaper(let p): return "paper \(p) is not in the topic model; refit or fold it in first"
        case .noCandidates(let why): return "no candidate papers: \(why); widen candidates.windowDays or check --as-of"
        case .dimensionMismatch(let why): return "dimension mismatch: \(why)"
        }
    }
}
