import Foundation
import PaperFeedCore

/// Reads a file of papers (`ingest papers`).
///
/// Formats (see Data/README.md):
/// - `jsonl`: `{"id","title","abstract","authors":[…] or "A; B","published_at","upvotes",
///   "categories" (optional),"organization" (optional)}`, source `jsonl`;
/// - `csv`: the same fields as columns, lists separated by `;`, source `csv`;
/// - `arxiv`: the arXiv listing JSONL of Data/arxiv (`first_listed` → `publishedAt` at
///   midnight UTC; no upvotes), source `arxiv`;
/// - `dailypapers`: a saved Hugging Face Daily Papers page (see `DailyPapersPage`).
///
/// Rows are validated; a bad row becomes a `RowIssue` (`FILE:LINE: field: reason`) and is
/// left out: missing/empty `id`; empty title *and* abstract (field `title`); unparseable or
/// far-future `published_at`; negative or non-numeric `upvotes`; invalid JSON (`line`);
/// invalid UTF-8 (`line`); a NUL anywhere, a control character in the id, an author, a
/// category or the organization (see `ControlCharacters`). Text is kept as given (arXiv's hard
/// line breaks stay).
///
/// Duplicates: a later row whose id was already seen with *different* content is an issue
/// (`id: duplicate id with different content (first at line N)`); an identical repeat is
/// kept in `rows` (the store counts it as a duplicate).
public enum PaperParser {
    public static func parse(path: String, format: PaperFormat, options: ParseOptions) throws -> Parsed<Paper> {
        try parse(file: InputFile(path: path), format: format, options: options)
    }

    /// Parses bytes already read (tests and callers holding the file).
    public static func parse(file: InputFile, format: PaperFormat, options: ParseOptions) throws -> Parsed<Paper> {
        var parsed: Parsed<Paper>
        switch format {
        case .dailypapers:
            parsed = DailyPapersPage.parse(file: file, options: options)
        case .jsonl, .csv, .arxiv:
            parsed = try parseRecords(file: file, format: format, options: options)
        }
        rejectConflictingDuplicates(&parsed)
        return parsed
    }

    static let recordFields = ["title", "abstract", "authors", "published_at", "upvotes", "categories", "organization"]
    static let arxivFields = ["title", "abstract", "authors", "categories", "first_listed"]

    /// The jsonl, csv and arxiv formats, without the duplicate-id check (streaming ingest runs that
    /// check over the whole file, chunk after chunk).
    static func parseRecords(file: InputFile, format: PaperFormat, options: ParseOptions) throws -> Parsed<Paper> {
        let set = try RecordSet(
            file: file, format: format == .csv ? .csv : .jsonl, required: ["id"],
            optional: format == .arxiv ? arxivFields : recordFields, options: options)
        var parsed = Parsed<Paper>(file: file.path, rows: [], issues: set.issues)
        parsed.rows.reserveCapacity(set.records.count)
        for record in set.records {
            let fields = set.reader(record, options: options)
            do {
                let paper = try makePaper(fields, format: format)
                parsed.rows.append(Located(line: record.line, row: paper))
            } catch {
                parsed.issues.append(set.issue(record.line, record.range, error.field, error.reason))
            }
        }
        parsed.issues.sort { $0.line < $1.line }
        return parsed
    }

    private static func makePaper(_ f: FieldReader, format: PaperFormat) throws(FieldProblem) -> Paper {
        let id = try f.identifier("id")
        let title = try f.optional("title") ?? ""
        let abstract = try f.optional("abstract") ?? ""
        if title.allSatisfy(\.isWhitespace) && abstract.allSatisfy(\.isWhitespace) {
            throw FieldProblem("title", "title and abstract are both empty")
        }
        let authors = try f.list("authors")
        let categories = try f.list("categories")
        if format == .arxiv {
            let listed = try f.timestamp("first_listed", required: false)
            return Paper(
                id: PaperID(id), title: title, abstract: abstract, authors: authors, publishedAt: listed, upvotes: nil,
                categories: categories, organization: nil, source: "arxiv")
        }
        let published = try f.timestamp("published_at", required: false)
        let upvotes = try f.count("upvotes")
        let organization = try f.singleLine("organization").flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        return Paper(
            id: PaperID(id), title: title, abstract: abstract, authors: authors, publishedAt: published, upvotes: upvotes,
            categories: categories, organization: organization, source: format.rawValue)
    }

    /// Moves the later of two rows with the same id and different content to `issues`.
    static func rejectConflictingDuplicates(_ parsed: inout Parsed<Paper>) {
        var first: [PaperID: Int] = [:]  // id → index in rows
        first.reserveCapacity(parsed.rows.count)
        var kept: [Located<Paper>] = []
        kept.reserveCapacity(parsed.rows.count)
        var found = false
        for row in parsed.rows {
            if let k = first[row.row.id] {
                let earlier = kept[k]
                if earlier.row != row.row {
                    found = true
                    parsed.issues.append(
                        RowIssue(
                            file: parsed.file, line: row.line, field: "id",
                            reason: "duplicate id with different content (first at line \(earlier.line))",
                            raw: row.row.id.rawValue))
                    continue
                }
            } else {
                first[row.row.id] = kept.count
            }
            kept.append(row)
        }
        parsed.rows = kept
        if found { parsed.issues.sort { $0.line < $1.line } }
    }
}

extension PaperFormat {
    /// The format a path's extension suggests (`.gz` is looked through): `.jsonl`/`.json` →
    /// `jsonl`, `.csv` → `csv`, `.txt` → `dailypapers`; nil otherwise. The arXiv listing is
    /// JSONL too and must be asked for explicitly (`arxiv`).
    public static func infer(path: String) -> PaperFormat? {
        var name = (path as NSString).lastPathComponent.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        switch (name as NSString).pathExtension {
        case "jsonl", "json", "ndjson": return .jsonl
        case "csv": return .csv
        case "txt": return .dailypapers
        default: return nil
        }
    }
}

extension EventFormat {
    /// `.jsonl`/`.json` → `jsonl`, `.csv` → `csv` (`.gz` looked through); nil otherwise.
    public static func infer(path: String) -> EventFormat? {
        switch PaperFormat.infer(path: path) {
        case .jsonl: return .jsonl
        case .csv: return .csv
        default: return nil
        }
    }
}
