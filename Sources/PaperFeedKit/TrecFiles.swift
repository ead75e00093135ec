import Foundation
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO

/// TREC qrels and run files as `paperfeed metrics` and `paperfeed compare` read them: plain or
/// gzip (recognised by its magic bytes, as every PaperFeed input; see Data/README.md), parsed
/// by `TrecFormat` (errors name FILE:LINE and the field).
public enum TrecFiles {
    public static func readRun(path: String) throws -> Run {
        try TrecFormat.parseRun(bytes: bytes(path), name: path)
    }

    public static func readQrels(path: String) throws -> Qrels {
        try TrecFormat.parseQrels(bytes: bytes(path), name: path)
    }

    /// The file's bytes, inflated when gzip; a missing, empty or corrupt file names the path.
    static func bytes(_ path: String) throws -> [UInt8] {
        do { return try InputFile(path: path).bytes } catch { throw KitError.notFound("\(error)") }
    }

    /// `paperfeed metrics`: a run file scored against a qrels file (either may be gzip).
    public static func evaluate(qrels: String, run: String, metrics: [Metric], options: EvaluationOptions) throws -> MetricsReport {
        let judgments = try readQrels(path: qrels)
        let ranked = try readRun(path: run)
        return MetricsReport(Evaluator(qrels: judgments, options: options).evaluate(ranked, metrics: metrics))
    }
}
