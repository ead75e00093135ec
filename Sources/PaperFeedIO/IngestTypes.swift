import Foundation
import PaperFeedCore

/// One bad input row: `FILE:LINE: field: reason`.
public struct RowIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line number (for the Daily Papers page: the entry's title line).
    public var line: Int
    /// Field (column) name, or `line` / `record` when the whole row is unusable.
    public var field: String
    public var reason: String
    /// The raw text of the row, for the rejects file (may be empty).
    public var raw: String

    public init(file: String, line: Int, field: String, reason: String, raw: String = "") {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        self.raw = raw
    }

    public var description: String { "\(file):\(line): \(field): \(reason)" }
}

/// A row that parsed, with the line it came from.
public struct Located<Row: Sendable>: Sendable {
    public var line: Int
    public var row: Row
    public init(line: Int, row: Row) {
        self.line = line
        self.row = row
    }
}

/// What a parser returns for one file: the good rows in file order and the bad ones.
public struct Parsed<Row: Sendable>: Sendable {
    public var file: String
    public var rows: [Located<Row>]
    public var issues: [RowIssue]
    public init(file: String, rows: [Located<Row>] = [], issues: [RowIssue] = []) {
        self.file = file
        self.rows = rows
        self.issues = issues
    }
}

/// Input formats of `ingest papers`.
public enum PaperFormat: String, CaseIterable, Sendable {
    /// One JSON object per line: id, title, abstract, authors, published_at, upvotes,
    /// optional categories, organization.
    case jsonl
    /// RFC 4180 CSV with a header naming the same fields.
    case csv
    /// A Hugging Face Daily Papers listing page saved as text.
    case dailypapers
    /// The arXiv listing JSONL (`id, title, abstract, authors, categories, first_listed, …`).
    case arxiv
}

/// Input formats of `ingest events`.
public enum EventFormat: String, CaseIterable, Sendable {
    case jsonl
    case csv
}

/// Options every parser takes.
public struct ParseOptions: Sendable {
    /// "Now" for the far-future check: a timestamp later than `now + futureTolerance` is rejected.
    public var now: Date
    public var futureTolerance: TimeInterval
    /// Date of a Daily Papers listing: a date without a year is in this year (or the year
    /// before, when that would put it after the listing date).
    public var listingDate: Date
    /// Column-name mapping for CSV inputs: canonical field → column name in the file
    /// (e.g. `paper` → `arxiv_id` for the Hugging Face observations).
    public var columnMap: [String: String]

    public init(now: Date, futureTolerance: TimeInterval = 2 * 86_400, listingDate: Date? = nil, columnMap: [String: String] = [:]) {
        self.now = now
        self.futureTolerance = futureTolerance
        self.listingDate = listingDate ?? now
        self.columnMap = columnMap
    }
}

/// A bag-of-words corpus (LDA-C documents over a vocabulary) with optional user libraries.
public struct Corpus: Sendable {
    /// Corpus name; papers get ids `NAME:INDEX` (0-based line number of the document).
    public var name: String
    public var vocabulary: [String]
    public var documents: [BagOfWordsDocument]
    /// user → papers, from a libraries file (`N id id …` per line; the user id is `NAME:u<line>`).
    public var libraries: [(user: UserID, papers: [PaperID])]
    public var issues: [RowIssue]

    public init(name: String, vocabulary: [String], documents: [BagOfWordsDocument], libraries: [(user: UserID, papers: [PaperID])], issues: [RowIssue]) {
        self.name = name
        self.vocabulary = vocabulary
        self.documents = documents
        self.libraries = libraries
        self.issues = issues
    }
}
