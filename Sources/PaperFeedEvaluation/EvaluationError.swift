/// Every error of PaperFeedEvaluation. Each message says what went wrong, where, and what to do.
public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A TREC file line could not be parsed. `field` names the column (e.g. `grade`, `score`).
    case malformedLine(file: String, line: Int, field: String, message: String)
    /// The same (user, paper) appears twice in a qrels or run file.
    case duplicateEntry(file: String, line: Int, user: String, paper: String, firstLine: Int)
    /// A file could not be read or written.
    case io(path: String, message: String)
    /// A metric name that `Metric(parsing:)` does not know.
    case unknownMetric(String)
    /// A metric name with a cut-off that is not a positive integer, or a metric that needs one.
    case invalidCutoff(metric: String, message: String)
    /// An option value that is not one of the accepted spellings (e.g. `--gain`).
    case invalidOption(name: String, value: String, accepted: [String])
    /// A reader has a value in one compared system but not in another (`compare`, `missing: .error`).
    case missingReader(reader: String, metric: String, presentIn: String, absentFrom: String)
    /// A comparison or estimate that cannot be made as asked (too few systems, bad propensity, …).
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .malformedLine(file, line, field, message):
            return "\(file):\(line): field \(field): \(message)"
        case let .duplicateEntry(file, line, user, paper, firstLine):
            return "\(file):\(line): user \(user) paper \(paper) already appeared on line \(firstLine); "
                + "keep one line per (user, paper) pair"
        case let .io(path, message):
            return "\(path): \(message); check that the path exists and is readable/writable"
        case let .unknownMetric(name):
            return "unknown metric '\(name)'; use one of ndcg, ndcg@K, map, map@K, mrr, mrr@K, precision@K (p@K), "
                + "recall, recall@K, hit, hit@K (or trec_eval names such as ndcg_cut_10, P_10, recip_rank, success_10)"
        case let .invalidCutoff(metric, message):
            return "metric '\(metric)': \(message); write the cut-off as a positive integer, e.g. ndcg@10"
        case let .invalidOption(name, value, accepted):
            return "\(name) '\(value)' is not accepted; use one of \(accepted.joined(separator: ", "))"
        case let .missingReader(reader, metric, presentIn, absentFrom):
            return "reader \(reader) has a \(metric) value in system \(presentIn) but not in \(absentFrom); "
                + "compare systems over the same readers, or pass missing: .countAsZero or .dropReader"
        case let .invalidInput(message):
            return message
        }
    }
}
