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
    /// Bytes of input per chunk: the unit of parsing and of one write transaction. Memory is
    /// bounded by a few chunks. Default `defaultChunkBytes`.
    public var chunkBytes: Int
    /// Testing: stop as if the process were killed right after this many chunks are committed.
    var stopAfterChunks: Int?

    /// 4 MiB (about 35,000 events or 3,000 arXiv papers: a transaction of a fraction of a
    /// second), or `$PAPERFEED_INGEST_CHUNK_BYTES` (a testing and benchmarking aid).
    public static var defaultChunkBytes: Int {
        ProcessInfo.processInfo.environment["PAPERFEED_INGEST_CHUNK_BYTES"].flatMap(Int.init).map { max(1, $0) } ?? 4 << 20
    }

    public init(kind: IngestKind, format: String? = nil, parse: ParseOptions, strict: Bool = false,
                rejectsDirectory: String? = nil, corpusName: String? = nil, vocabulary: String? = nil, libraries: String? = nil,
                chunkBytes: Int = IngestOptions.defaultChunkBytes) {
        self.chunkBytes = chunkBytes
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

/// The outcome of one file: its summary, or the error that stopped it.
public struct IngestFileResult: Sendable {
    public var summary: IngestSummary
    /// The file's bad rows, the first `Ingestor.keptIssues` of them (all are in the rejects file;
    /// `summary.rejected` counts them all).
    public var issues: [RowIssue]
    public var error: String?
}

/// Streaming ingest. Each file is read in chunks of about `IngestOptions.chunkBytes` bytes that
/// end on record boundaries; chunks are parsed in parallel while the previous one is applied,
/// and each chunk is applied in its own short write transaction together with the file's
/// progress record (`IngestCheckpoint`), so readers and other writers wait at most one chunk.
///
/// Guarantees:
/// - re-ingesting a file changes nothing (the store's de-duplication rules, `IngestBackend`);
/// - bad rows are skipped, reported as `FILE:LINE: field: reason` (lines of the whole file) and
///   written to the rejects file as they are found;
/// - `--strict`: a first pass parses the whole file without writing; a bad row stops the file
///   there and nothing of it is applied (the database file is not touched);
/// - a kill at any point leaves every chunk either applied with its progress record or not at
///   all; ingesting the same file again resumes after the last committed chunk (its prefix is
///   re-read only to check its fingerprint, rebuild the rejects and the duplicate-id check, not
///   applied again), and its summary equals that of an uninterrupted run. If the file changed,
///   it is ingested from the start (which the de-duplication makes safe);
/// - a file that cannot be opened, or whose header or first chunk is unusable, changes nothing;
///   one found broken part-way (a gzip stream cut short, a read error, a database error) keeps
///   the chunks applied before the break, reports them, and stays recorded as partial, so
///   ingesting the repaired file completes it;
/// - memory is bounded by a few chunks (plus, for papers, one id per paper of the file).
///
/// A Daily Papers page and a bag-of-words corpus are read whole and applied in one transaction.
public enum Ingestor {
    /// Issues kept in `IngestFileResult.issues` (the rejects file has all of them).
    public static let keptIssues = 1000

    /// Ingests the files in the order given. A file that fails does not stop the others.
    public static func run(files: [String], options: IngestOptions, store: Store) -> [IngestFileResult] {
        if options.kind == .corpus { return files.map { runWhole($0, options: options, store: store) } }
        return StreamingIngest(files: files, options: options, store: store, backend: store).run()
    }

    /// A corpus: parsed whole, applied in one transaction.
    static func runWhole(_ file: String, options: IngestOptions, store: Store) -> IngestFileResult {
        let start = DispatchTime.now().uptimeNanoseconds
        var summary = IngestSummary(file: file, kind: options.kind.rawValue)
        do {
            let corpus = try parseCorpus(file, options: options)
            let issues = corpus.issues
            if options.strict, let first = issues.min(by: { $0.line < $1.line }) { throw IOError.strictFailure(first) }
            try store.applyCorpus(corpus, into: &summary)
            summary.rejected = issues.count
            if !issues.isEmpty {
                let writer = RejectsWriter(for: file, directory: rejectsDirectory(options, store))
                try writer.write(issues)
                summary.rejectsFile = try writer.finish()
            }
            summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return IngestFileResult(summary: summary, issues: Array(issues.prefix(keptIssues)), error: nil)
        } catch {
            summary = IngestSummary(file: file, kind: options.kind.rawValue)
            var issues: [RowIssue] = []
            if case IOError.strictFailure(let issue) = error { issues = [issue] }
            summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return IngestFileResult(summary: summary, issues: issues, error: "\(error)")
        }
    }

    static func rejectsDirectory(_ options: IngestOptions, _ store: Store) -> String {
        options.rejectsDirectory
            ?? URL(fileURLWithPath: store.path).deletingLastPathComponent().appendingPathComponent("rejects").path
    }

    /// A corpus file with its vocabulary and libraries.
    static func parseCorpus(_ file: String, options: IngestOptions) throws -> Corpus {
        guard let vocabulary = options.vocabulary else {
            throw IOError.unreadable(file, reason: "a corpus needs its vocabulary: pass --vocabulary FILE")
        }
        let name = options.corpusName ?? corpusName(for: file)
        return try CorpusParser.parse(name: name, documents: file, vocabulary: vocabulary, libraries: options.libraries)
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

    /// Default corpus name: the folder of the documents file (`Data/citeulike-t/mult.dat.gz` → `citeulike-t`).
    static func corpusName(for file: String) -> String {
        let url = URL(fileURLWithPath: file)
        let folder = url.deletingLastPathComponent().lastPathComponent
        return folder.isEmpty || folder == "." ? url.deletingPathExtension().lastPathComponent : folder
    }
}
