import Foundation
import PaperFeedCore

/// Reads upvote observations (`paper, observed_at, upvotes`): CSV, or JSONL when the path
/// ends in `.jsonl`/`.json` (optionally `.gz`).
///
/// Column lookup: `columnMap` first; otherwise a file without a `paper` column uses
/// `arxiv_id` (the Hugging Face files in Data/hf-daily-papers). Extra columns are ignored.
///
/// Row issues: missing `paper`; `observed_at` missing, unparseable or in the future;
/// `upvotes` missing, non-numeric or negative.
public enum UpvoteParser {
    public static func parse(path: String, options: ParseOptions) throws -> Parsed<UpvoteObservation> {
        try parse(file: InputFile(path: path), options: options)
    }

    public static func parse(file: InputFile, options: ParseOptions) throws -> Parsed<UpvoteObservation> {
        let format: RecordSet.Format = EventFormat.infer(path: file.path) == .jsonl ? .jsonl : .csv
        let set = try RecordSet(
            file: file, format: format, required: ["paper", "observed_at", "upvotes"], optional: [],
            aliases: ["paper": ["arxiv_id", "id", "paper_id"]], options: options)
        var parsed = Parsed<UpvoteObservation>(file: file.path, rows: [], issues: set.issues)
        parsed.rows.reserveCapacity(set.records.count)
        for record in set.records {
            let f = set.reader(record, options: options)
            do throws(FieldProblem) {
                let paper = try f.required("paper").trimmedBlanks
                guard let at = try f.timestamp("observed_at", required: true) else { throw FieldProblem("observed_at", "missing") }
                guard let upvotes = try f.count("upvotes") else { throw FieldProblem("upvotes", "missing") }
                parsed.rows.append(Located(line: record.line, row: UpvoteObservation(paper: PaperID(paper), observedAt: at, upvotes: upvotes)))
            } catch {
                parsed.issues.append(set.issue(record.line, record.range, error.field, error.reason))
            }
        }
        parsed.issues.sort { $0.line < $1.line }
        return parsed
    }
}
