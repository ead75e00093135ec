import Foundation
import PaperFeedCore

/// What `paperfeed ingest` ingests.
public enum IngestKind: String, CaseIterable, Sendable {
    case papers, upvotes, events, corpus
}

/// Options of one `ingest` call.
public struct IngestOptions: Sendable {
    public var kind: IngestKind
    /// Paper or event format; `nil` infers it from the file name (papers, events only).
    public var format: String?
    public var parse: ParseOptions
    /// Stop at the first bad row and apply nothing of that file.
    public var strict: Bool
    /// Folder for rejects files (`<basename>.rejects.txt`); default: `rejects/` beside the database.
    public var rejectsDirectory: String?
    /// Corpus options (kind == .corpus): name, vocabulary file, libraries file.
    public var corpusName: String?
    public var vocabulary: String?
    public var libraries: String?

    public init(kind: IngestKind, format: String? = nil, parse: ParseOptions, strict: Bool = false,
                rejectsDirectory: String? = nil, corpusName: String? = nil, vocabulary: String? = nil, libraries: String? = nil) {
        self.kind = kind
        self.format = format
        self.parse = parse
        self.strict = strict
        self.rejectsDirectory = rejectsDirectory
        self.corpusName = corpusName
        self.vocabulary = vocabulary
        self.libraries = libraries
    }
}

/// The outcome of one file: its summary, or the error that stopped it (nothing applied).
public struct IngestFileResult: Sendable {
    public var summary: IngestSummary
    public var issues: [RowIssue]
    public var error: String?
}

public enum Ingestor {
    /// Ingests each file in its own transaction. A file that fails (missing, unreadable, a bad
    /// row under `--strict`, a database error) leaves the store exactly as before that file;
    /// the other files still go in. Bad rows are reported and written to the rejects file.
    public static func run(files: [String], options: IngestOptions, store: Store) -> [IngestFileResult] {
        files.map { file in
            let start = DispatchTime.now().uptimeNanoseconds
            var summary = IngestSummary(file: file, kind: options.kind.rawValue)
            var issues: [RowIssue] = []
            do {
                issues = try ingestOne(file, options: options, store: store, summary: &summary)
                summary.rejected = issues.count
                if !issues.isEmpty {
                    summary.rejectsFile = try writeRejects(issues, for: file, options: options, store: store)
                }
                summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                return IngestFileResult(summary: summary, issues: issues, error: nil)
            } catch {
                summary = IngestSummary(file: file, kind: options.kind.rawValue)
                if case IOError.strictFailure(let issue) = error { issues = [issue] }
                summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                return IngestFileResult(summary: summary, issues: issues, error: "\(error)")
            }
        }
    }

    static func ingestOne(_ file: String, options: IngestOptions, store: Store, summary: inout IngestSummary) throws -> [RowIssue] {
        func strictCheck(_ issues: [RowIssue]) throws {
            if options.strict, let first = issues.min(by: { $0.line < $1.line }) { throw IOError.strictFailure(first) }
        }
        switch options.kind {
        case .papers:
            let format = try options.format.map { f -> PaperFormat in
                guard let v = PaperFormat(rawValue: f) else { throw IOError.unreadable(file, reason: "unknown paper format \(f); use one of \(PaperFormat.allCases.map(\.rawValue).joined(separator: ", "))") }
                return v
            } ?? PaperFormat.infer(path: file)
            guard let format else {
                throw IOError.unreadable(file, reason: "cannot tell the format from the file name; pass --format jsonl|csv|dailypapers|arxiv")
            }
            let parsed = try PaperParser.parse(path: file, format: format, options: options.parse)
            try strictCheck(parsed.issues)
            try store.applyPapers(parsed.rows, into: &summary)
            return parsed.issues
        case .events:
            let format = try options.format.map { f -> EventFormat in
                guard let v = EventFormat(rawValue: f) else { throw IOError.unreadable(file, reason: "unknown event format \(f); use jsonl or csv") }
                return v
            } ?? EventFormat.infer(path: file)
            guard let format else {
                throw IOError.unreadable(file, reason: "cannot tell the format from the file name; pass --format jsonl|csv")
            }
            let parsed = try EventParser.parse(path: file, format: format, options: options.parse)
            try strictCheck(parsed.issues)
            try store.applyEvents(parsed.rows, into: &summary)
            return parsed.issues
        case .upvotes:
            let parsed = try UpvoteParser.parse(path: file, options: options.parse)
            try strictCheck(parsed.issues)
            try store.applyObservations(parsed.rows, into: &summary)
            return parsed.issues
        case .corpus:
            guard let vocabulary = options.vocabulary else {
                throw IOError.unreadable(file, reason: "a corpus needs its vocabulary: pass --vocabulary FILE")
            }
            let name = options.corpusName ?? corpusName(for: file)
            let corpus = try CorpusParser.parse(name: name, documents: file, vocabulary: vocabulary, libraries: options.libraries)
            try strictCheck(corpus.issues)
            try store.applyCorpus(corpus, into: &summary)
            return corpus.issues
        }
    }

    /// Default corpus name: the folder of the documents file (`Data/citeulike-t/mult.dat.gz` → `citeulike-t`).
    static func corpusName(for file: String) -> String {
        let url = URL(fileURLWithPath: file)
        let folder = url.deletingLastPathComponent().lastPathComponent
        return folder.isEmpty || folder == "." ? url.deletingPathExtension().lastPathComponent : folder
    }

    /// Writes `FILE:LINE: field: reason` then a tab and the raw row, one per line, atomically.
    static func writeRejects(_ issues: [RowIssue], for file: String, options: IngestOptions, store: Store) throws -> String {
        let dir = options.rejectsDirectory
            ?? URL(fileURLWithPath: store.path).deletingLastPathComponent().appendingPathComponent("rejects").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let name = URL(fileURLWithPath: file).lastPathComponent + ".rejects.txt"
        let path = URL(fileURLWithPath: dir).appendingPathComponent(name).path
        var text = ""
        for issue in issues.sorted(by: { ($0.line, $0.field) < ($1.line, $1.field) }) {
            text += issue.description
            if !issue.raw.isEmpty { text += "\t" + issue.raw.replacingOccurrences(of: "\n", with: "\\n") }
            text += "\n"
        }
        try AtomicFile.write(Data(text.utf8), to: path)
        return path
    }
}
