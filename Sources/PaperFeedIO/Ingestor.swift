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
        // Parse every file first, two at a time (parsing is pure and dominates the cost), then
        // apply them one by one in the order given, each in its own transaction.
        let parsed = ConcurrentSlots<(Result<ParsedInput, Error>, Double)>(count: files.count)
        let workers = min(files.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < files.count {
                let start = DispatchTime.now().uptimeNanoseconds
                let result = Result { try parse(files[i], options: options) }
                parsed[i] = (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                i += workers
            }
        }
        return files.indices.map { i in
            let file = files[i]
            let start = DispatchTime.now().uptimeNanoseconds
            var summary = IngestSummary(file: file, kind: options.kind.rawValue)
            var issues: [RowIssue] = []
            let (result, parseSeconds) = parsed[i]!
            do {
                let input = try result.get()
                issues = input.issues
                if options.strict, let first = issues.min(by: { $0.line < $1.line }) { throw IOError.strictFailure(first) }
                try apply(input, store: store, summary: &summary)
                summary.rejected = issues.count
                if !issues.isEmpty {
                    summary.rejectsFile = try writeRejects(issues, for: file, options: options, store: store)
                }
                summary.seconds = parseSeconds + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                return IngestFileResult(summary: summary, issues: issues, error: nil)
            } catch {
                summary = IngestSummary(file: file, kind: options.kind.rawValue)
                issues = []
                if case IOError.strictFailure(let issue) = error { issues = [issue] }
                summary.seconds = parseSeconds + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                return IngestFileResult(summary: summary, issues: issues, error: "\(error)")
            }
        }
    }

    /// A parsed input file of any kind.
    enum ParsedInput: Sendable {
        case papers(Parsed<Paper>)
        case events(Parsed<Event>)
        case upvotes(Parsed<UpvoteObservation>)
        case corpus(Corpus)

        var issues: [RowIssue] {
            switch self {
            case .papers(let p): return p.issues
            case .events(let p): return p.issues
            case .upvotes(let p): return p.issues
            case .corpus(let c): return c.issues
            }
        }
    }

    static func parse(_ file: String, options: IngestOptions) throws -> ParsedInput {
        switch options.kind {
        case .papers:
            let format = try resolveFormat(options.format, inferred: PaperFormat.infer(path: file), file: file, kind: "paper")
            return .papers(try PaperParser.parse(path: file, format: format, options: options.parse))
        case .events:
            let format = try resolveFormat(options.format, inferred: EventFormat.infer(path: file), file: file, kind: "event")
            return .events(try EventParser.parse(path: file, format: format, options: options.parse))
        case .upvotes:
            return .upvotes(try UpvoteParser.parse(path: file, options: options.parse))
        case .corpus:
            guard let vocabulary = options.vocabulary else {
                throw IOError.unreadable(file, reason: "a corpus needs its vocabulary: pass --vocabulary FILE")
            }
            let name = options.corpusName ?? corpusName(for: file)
            return .corpus(try CorpusParser.parse(name: name, documents: file, vocabulary: vocabulary, libraries: options.libraries))
        }
    }

    /// The `--format` value if given (it must name a known format), else the one inferred from
    /// the file name; an error saying which values exist when neither works.
    static func resolveFormat<F: RawRepresentable & CaseIterable>(_ given: String?, inferred: F?, file: String, kind: String) throws -> F
    where F.RawValue == String {
        let known = F.allCases.map(\.rawValue).joined(separator: "|")
        if let given {
            guard let f = F(rawValue: given) else { throw IOError.unreadable(file, reason: "unknown \(kind) format \(given); use \(known)") }
            return f
        }
        guard let inferred else {
            throw IOError.unreadable(file, reason: "cannot tell the format from the file name; pass --format \(known)")
        }
        return inferred
    }

    static func apply(_ input: ParsedInput, store: Store, summary: inout IngestSummary) throws {
        switch input {
        case .papers(let p): try store.applyPapers(p.rows, into: &summary)
        case .events(let p): try store.applyEvents(p.rows, into: &summary)
        case .upvotes(let p): try store.applyObservations(p.rows, into: &summary)
        case .corpus(let c): try store.applyCorpus(c, into: &summary)
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
