/// Every error of the IO module: file-level problems (a row-level problem is a `RowIssue`).
/// Messages name the file and say what to do.
public enum IOError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(String)
    case isDirectory(String)
    case unreadable(String, reason: String)
    case emptyFile(String)
    case truncatedGzip(String)
    case corruptGzip(String, reason: String)
    case badHeader(String, reason: String)
    case database(String, reason: String)
    case strictFailure(RowIssue)
    /// A row that makes the whole file unusable (e.g. a vocabulary term that cannot be stored:
    /// term ids are line numbers, so the line cannot be left out).
    case unusableRow(RowIssue)
    /// `--db` names an SQLite file that is not a PaperFeed store, or one that fails its integrity check.
    case notAStore(String, reason: String)
    /// A `--map FIELD=COLUMN` that names no field of the input kind, or no column.
    case badColumnMap(String)

    public var description: String {
        switch self {
        case .fileNotFound(let p): return "\(p): no such file; check the path"
        case .isDirectory(let p): return "\(p): is a directory; pass the files inside it"
        case .unreadable(let p, let why): return "\(p): cannot read: \(why)"
        case .emptyFile(let p): return "\(p): file is empty; nothing to ingest"
        case .truncatedGzip(let p): return "\(p): gzip stream is cut short (truncated download?); fetch the file again"
        case .corruptGzip(let p, let why): return "\(p): not a valid gzip stream: \(why)"
        case .badHeader(let p, let why): return "\(p):1: header: \(why)"
        case .database(let p, let why): return "\(p): database error: \(why)"
        case .strictFailure(let issue): return "\(issue) (--strict: nothing of this file was applied)"
        case .unusableRow(let issue): return "\(issue); nothing of this file was applied, fix that line"
        case .notAStore(let p, let why): return "\(p): \(why)"
        case .badColumnMap(let why): return why
        }
    }
}
