import ArgumentParser
import Foundation
import PaperFeedCore
import PaperFeedIO

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load papers, upvote observations, events or a bag-of-words corpus into the store.",
        discussion: """
            Files are read and applied in chunks (one short transaction each, so other commands
            can read and write meanwhile); ingesting the same file again changes nothing, and after
            an interrupted run it resumes after the last applied chunk.
            Bad rows are skipped, reported as FILE:LINE: field: reason and written to a rejects file;
            with --strict the first bad row stops that file and nothing of it is applied.
            Formats are documented in Data/README.md. Examples:
              paperfeed ingest papers Data/arxiv/*.jsonl.gz --format arxiv
              paperfeed ingest papers page.txt --format dailypapers --listing-date 2026-03-13
              paperfeed ingest upvotes Data/hf-daily-papers/upvote_observations.csv.gz
              paperfeed ingest events events.jsonl
              paperfeed ingest corpus Data/citeulike-t/mult.dat.gz --vocabulary Data/citeulike-t/vocabulary.dat.gz \\
                  --libraries Data/citeulike-t/users.dat.gz --name citeulike-t
            """)

    @Argument(help: "What to ingest: papers, upvotes, events or corpus.")
    var kind: String

    @Argument(help: "Input files (gzip-compressed files are read directly).")
    var files: [String]

    @Option(help: "papers: jsonl, csv, dailypapers, arxiv; events: jsonl, csv (default: from the file name).")
    var format: String?

    @OptionGroup var store: StoreOptions

    @Flag(help: "Stop at the first bad row; apply nothing of that file.")
    var strict = false

    @Option(help: "Date of a Daily Papers listing (YYYY-MM-DD); dates without a year fall in its year. Default: today.")
    var listingDate: String?

    @Option(help: "Column mapping for CSV inputs, FIELD=COLUMN (repeatable), e.g. --map paper=arxiv_id.")
    var map: [String] = []

    @Option(help: "Folder for rejects files (default: rejects/ beside the database).")
    var rejects: String?

    @Option(help: "corpus: the corpus name (default: the folder of the documents file).")
    var name: String?

    @Option(help: "corpus: the vocabulary file, one term per line.")
    var vocabulary: String?

    @Option(help: "corpus: the user libraries file, 'N id id …' per line.")
    var libraries: String?

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Option(help: "Fail (exit 1) when more rows than this are rejected in all: a count N, or a share P% of the rows read.")
    var maxRejects: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard IngestKind(rawValue: kind) != nil else {
            throw ValidationError("unknown kind '\(kind)': use papers, upvotes, events or corpus")
        }
        guard !files.isEmpty else { throw ValidationError("give at least one input file") }
        for m in map where !m.contains("=") { throw ValidationError("--map \(m): write FIELD=COLUMN, e.g. paper=arxiv_id") }
        do { try IngestOptions.checkColumnMap(columnMap, kind: IngestKind(rawValue: kind)!) } catch { throw ValidationError("\(error)") }
        if kind == "corpus", vocabulary == nil { throw ValidationError("ingest corpus needs --vocabulary FILE") }
        if let m = maxRejects, RejectLimit(parsing: m) == nil {
            throw ValidationError("--max-rejects \(m): give a count (e.g. 100) or a share of the rows read (e.g. 2%)")
        }
    }

    /// `--map` values as field → column (after `validate`, every value has a `=`).
    var columnMap: [String: String] {
        var columnMap: [String: String] = [:]
        for m in map {
            let parts = m.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            columnMap[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return columnMap
    }

    func run() throws {
        logging.start()
        let now = Date()
        let listing = try listingDate.map { try parseDate($0, option: "--listing-date") }
        let options = IngestOptions(
            kind: IngestKind(rawValue: kind)!, format: format,
            parse: ParseOptions(now: now, listingDate: listing, columnMap: columnMap), strict: strict,
            rejectsDirectory: rejects, corpusName: name, vocabulary: vocabulary, libraries: libraries)
        let db = try store.openOrCreate()
        defer { try? db.close() }
        let results = Ingestor.run(files: files, options: options, store: db)
        let report = IngestReport(results: results)
        if json {
            try Output.json(report)
        } else {
            for r in results {
                for issue in r.issues.prefix(20) { Output.err(issue.description) }
                if r.summary.rejected > 20 { Output.err("… \(r.summary.rejected - 20) more in \(r.summary.rejectsFile ?? "the rejects file")") }
                if let e = r.error {
                    Output.err("FAILED \(e)")
                } else {
                    let s = r.summary
                    print("\(s.file): accepted \(s.accepted), updated \(s.updated), duplicate \(s.duplicate), orphan \(s.orphan), rejected \(s.rejected) (\(String(format: "%.2f", s.seconds)) s)")
                    if s.orphan > 0 { print("  \(s.orphan) rows refer to papers not in the store; they are kept (ingest the papers to resolve them)") }
                    if let f = s.rejectsFile { print("  rejected rows written to \(f)") }
                }
            }
            if results.count > 1 {
                let t = report.total
                print("total: accepted \(t.accepted), updated \(t.updated), duplicate \(t.duplicate), orphan \(t.orphan), rejected \(t.rejected)")
            }
        }
        if results.contains(where: { $0.error != nil }) { throw ExitCode.failure }
        if let m = maxRejects, let limit = RejectLimit(parsing: m), let problem = limit.exceeded(by: report.total) {
            throw Failure("--max-rejects \(m): \(problem); the accepted rows are stored, the rejected ones are in the rejects files")
        }
    }
}

struct IngestReport: Encodable {
    var files: [IngestSummary]
    var failed: [String: String]
    var total: IngestSummary
    init(results: [IngestFileResult]) {
        files = results.map(\.summary)
        failed = Dictionary(results.compactMap { r in r.error.map { (r.summary.file, $0) } }, uniquingKeysWith: { a, _ in a })
        total = IngestSummary.total(results.filter { $0.error == nil }.map(\.summary))
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Counts and date ranges of what the store holds.")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print as one JSON object.") var json = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start()
        let db = try store.open()
        defer { try? db.close() }
        let s = try db.stats()
        if json { return try Output.json(s) }
        print("database      \(s.database)")
        print("papers        \(s.papers)  (with date \(s.papersWithDate), with upvotes \(s.papersWithUpvotes))")
        for (source, n) in s.papersBySource.sorted(by: { $0.key < $1.key }) { print("  \(source): \(n)") }
        print("published     \(s.published.first ?? "-") .. \(s.published.last ?? "-")")
        print("upvote obs.   \(s.upvoteObservations)  (orphans \(s.orphanObservations))  \(s.observationTimes.first ?? "-") .. \(s.observationTimes.last ?? "-")")
        print("users         \(s.users)")
        print("events        \(s.events)  (orphans \(s.orphanEvents))  \(s.eventTimes.first ?? "-") .. \(s.eventTimes.last ?? "-")")
        for kind in EventKind.allCases { print("  \(kind.rawValue): \(s.eventsByKind[kind.rawValue] ?? 0)") }
        for (name, n) in s.corpora.sorted(by: { $0.key < $1.key }) { print("corpus        \(name): \(n) documents") }
        if s.libraryItems > 0 { print("library items \(s.libraryItems)") }
    }
}
