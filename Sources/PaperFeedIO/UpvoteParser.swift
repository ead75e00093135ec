import Foundation
import PaperFeedCore

/// Reads upvote observations (`paper, observed_at, upvotes`): CSV, or JSONL when the path
/// ends in `.jsonl`/`.json` (optionally `.gz`).
///
/// Column lookup: `columnMap` first; otherwise a file without a `paper` column uses
/// `arxiv_id` (the Hugging Face files in Data/hf-daily-papers). Extra columns are ignored.
///
/// Row issues: missing `paper` (or one with a control character); `observed_at` missing,
/// unparseable or in the future; `upvotes` missing, non-numeric or negative, or another count
/// for a (paper, observed_at) an earlier row of the file already gave.
public enum UpvoteParser {
    static let fields = ["paper", "observed_at", "upvotes"]

    public static func parse(path: String, options: ParseOptions) throws -> Parsed<UpvoteObservation> {
        try parse(file: InputFile(path: path), options: options)
    }

    public static func parse(file: InputFile, options: ParseOptions) throws -> Parsed<UpvoteObservation> {
        let format: RecordSet.Format = EventFormat.infer(path: file.path) == .jsonl ? .jsonl : .csv
        let set = try RecordSet(
            file: file, format: format, required: fields, optional: [],
            aliases: ["paper": ["arxiv_id", "id", "paper_id"]], options: options)
        var parsed = Parsed<UpvoteObservation>(file: file.path, rows: [], issues: set.issues)
        parsed.rows.reserveCapacity(set.records.count)
        for record in set.records {
            let f = set.reader(record, options: options)
            do throws(FieldProblem) {
                let paper = try f.identifier("paper")
                guard let at = try f.timestamp("observed_at", required: true) else { throw FieldProblem("observed_at", "missing") }
                guard let upvotes = try f.count("upvotes") else { throw FieldProblem("upvotes", "missing") }
                parsed.rows.append(Located(line: record.line, row: UpvoteObservation(paper: PaperID(paper), observedAt: at, upvotes: upvotes)))
            } catch {
                parsed.issues.append(set.issue(record.line, record.range, error.field, error.reason))
            }
        }
        rejectConflictingDuplicates(&parsed)
        parsed.issues.sort { $0.line < $1.line }
        return parsed
    }

    /// Moves a later observation of the same (paper, observed_at) with another count to
    /// `issues` (`upvotes: …`): one file cannot say both; an exact repeat is kept (a duplicate).
    static func rejectConflictingDuplicates(_ parsed: inout Parsed<UpvoteObservation>) {
        struct Key: Hashable {
            var paper: [UInt8], at: Date
        }
        var first: [Key: Located<UpvoteObservation>] = [:]
        var kept: [Located<UpvoteObservation>] = []
        kept.reserveCapacity(parsed.rows.count)
        for row in parsed.rows {
            let o = row.row
            let key = Key(paper: Array(o.paper.rawValue.utf8), at: o.observedAt)
            if let earlier = first[key] {
                if earlier.row.upvotes != o.upvotes {
                    parsed.issues.append(
                        RowIssue(
                            file: parsed.file, line: row.line, field: "upvotes",
                            reason: "\(o.upvotes) for paper \(o.paper.rawValue) at \(Timestamp.format(o.observedAt)), but line \(earlier.line) says \(earlier.row.upvotes); keep one of them",
                            raw: "\(o.paper.rawValue) \(Timestamp.format(o.observedAt)) \(o.upvotes)"))
                    continue
                }
            } else {
                first[key] = row
            }
            kept.append(row)
        }
        parsed.rows = kept
    }
}
