import Foundation
import Testing

@testable import PaperFeedCore
@testable import PaperFeedIO

/// Regression tests of issue 15 ("Reliability"), IO part: each one failed (or crashed the test
/// process) on the code before the fix; the comment says how.
@Suite struct ReliabilityIOTests {
    func ingest(_ kind: IngestKind, _ name: String, _ text: String, format: String? = nil) throws -> (IngestFileResult, Store) {
        let (store, dir) = try temporaryStore()
        let path = try Support.write(name, text)
        let result = Ingestor.run(
            files: [path], options: IngestOptions(kind: kind, format: format, parse: Support.options, rejectsDirectory: dir.path),
            store: store)[0]
        return (result, store)
    }

    /// Defect 1: 43,500 nested `[` in an unknown field segfaulted `JSONScanner.value()`/`array()`
    /// (the whole test process died). Now: one issue naming the line, the other rows applied.
    @Test func deepNestingIsARowIssueNotACrash() throws {
        let deep = String(repeating: "[", count: 43_500) + String(repeating: "]", count: 43_500)
        let rows = [
            #"{"id": "ok1", "title": "T", "abstract": "A"}"#,
            #"{"id": "deep", "title": "T", "abstract": "A", "extra": \#(deep)}"#,
            #"{"id": "ok2", "title": "T", "abstract": "A"}"#,
        ]
        let (result, store) = try ingest(.papers, "deep.jsonl", rows.joined(separator: "\n") + "\n", format: "jsonl")
        #expect(result.error == nil)
        #expect(result.summary.accepted == 2)
        #expect(result.issues.map(\.field) == ["line"])
        #expect(result.issues.first?.line == 2)
        #expect(result.issues.first?.reason.hasPrefix("nesting deeper than \(JSONScanner.maxDepth)") == true)
        #expect(try store.paper(PaperID("ok2")) != nil)
        // Exactly at the limit is fine; one more level is not.
        let atLimit = String(repeating: "[", count: JSONScanner.maxDepth - 1) + String(repeating: "]", count: JSONScanner.maxDepth - 1)
        let over = "[" + atLimit + "]"
        let text = #"{"id": "a", "title": "T", "x": \#(atLimit)}"# + "\n" + #"{"id": "b", "title": "T", "x": \#(over)}"# + "\n"
        let parsed = try PaperParser.parse(file: InputFile(path: "n.jsonl", contents: Array(text.utf8)), format: .jsonl, options: Support.options)
        #expect(parsed.rows.map(\.row.id.rawValue) == ["a"])
        #expect(parsed.issues.map(\.description) == ["n.jsonl:2: line: nesting deeper than 64 (at byte \(31 + JSONScanner.maxDepth))"])
    }

    @Test func aRecordOverTheSizeLimitIsRefused() throws {
        let big = String(repeating: "x", count: RecordSet.maxRecordBytes)
        let first = #"{"id": "big", "title": "\#(big)"}"#
        let text = first + "\n" + #"{"id": "small", "title": "T"}"# + "\n"
        let parsed = try PaperParser.parse(file: InputFile(path: "b.jsonl", contents: Array(text.utf8)), format: .jsonl, options: Support.options)
        #expect(parsed.rows.map(\.row.id.rawValue) == ["small"])
        #expect(parsed.issues.first?.description.hasPrefix("b.jsonl:1: line: record is \(first.utf8.count) bytes, longer than the limit") == true)
    }

    /// Defect 2: `p\u0000one` and `p\u0000two` were both stored as `p` ("accepted 2", one row);
    /// CSV users `x\0a` and `x\0b` merged; titles were cut at the NUL.
    @Test func nulIsRefusedInsteadOfCuttingStoredText() throws {
        let jsonl = [
            #"{"id": "p\u0000one", "title": "T", "abstract": "A"}"#,
            #"{"id": "p\u0000two", "title": "T", "abstract": "A"}"#,
            #"{"id": "t1", "title": "before\u0000after", "abstract": "A"}"#,
            #"{"id": "t2", "title": "T", "abstract": "A", "authors": ["A\u0000B"]}"#,
            #"{"id": "t\tab", "title": "T"}"#,
        ].joined(separator: "\n")
        let (papers, store) = try ingest(.papers, "nul.jsonl", jsonl + "\n", format: "jsonl")
        #expect(papers.summary.accepted == 0)
        #expect(papers.issues.map(\.field) == ["id", "id", "title", "authors", "id"])
        #expect(papers.issues[0].reason == "NUL character (U+0000) at character 2; NUL cannot be stored, remove it")
        #expect(papers.issues[4].reason == "control character U+0009 at character 2; ids may not contain control characters")
        #expect(try store.stats().papers == 0)

        let csv = "user,paper,kind,at\nx\u{0}a,p1,read,2026-03-01\nx\u{0}b,p1,read,2026-03-01\nu,p\u{1}1,read,2026-03-01\n"
        let (events, store2) = try ingest(.events, "nul.csv", csv, format: "csv")
        #expect(events.summary.accepted == 0)
        #expect(events.issues.map(\.field) == ["user", "user", "paper"])
        #expect(try store2.events().isEmpty)
    }

    /// What is accepted reads back byte for byte: control characters other than NUL in titles
    /// and abstracts, non-ASCII, escapes, sub-millisecond times (rounded at parse). Ids are
    /// NFC-normalized: `e\u0301` is the id `\u00e9` (Swift compares them equal, SQLite would not).
    @Test func acceptedRowsReadBackByteIdentical() throws {
        let rows = [
            #"{"id": "c1", "title": "tab\there\nline\r\u0007bell\u001eRS", "abstract": "é e\u0301 \ud83d\ude00 \ud800 end", "authors": ["A\tB", "Ünï"], "published_at": "2025-03-18T10:00:00.123456Z", "upvotes": 1e2, "organization": "Org\tX"}"#,
            #"{"id": "e\u0301", "title": "decomposed", "abstract": ""}"#,
            #"{"id": "\u00e9", "title": "decomposed", "abstract": ""}"#,
            #"{"id": "c2", "title": "", "abstract": "only abstract", "categories": "cs.CL; cs.AI"}"#,
            // Found by the fuzzer: Foundation's JSONSerialization read the stored `["\u{FEFF}X"]` back as `["X"]`.
            #"{"id": "c3", "title": "T", "authors": ["\ufeffLeading BOM", "a\ufeffb"], "categories": ["\ufeffcs.CL"]}"#,
        ].joined(separator: "\n")
        let path = try Support.write("rb.jsonl", jsonl(rows))
        let parsed = try PaperParser.parse(path: path, format: .jsonl, options: Support.options)
        #expect(parsed.issues.isEmpty)
        #expect(parsed.rows.count == 5)
        #expect(Array(parsed.rows[1].row.id.rawValue.utf8) == [0xC3, 0xA9])
        let (store, _) = try temporaryStore()
        var summary = IngestSummary(file: path, kind: "papers")
        try store.applyPapers(parsed.rows, into: &summary)
        #expect(try store.stats().papers == 4)
        #expect(summary.duplicate == 1)
        for row in parsed.rows {
            let stored = try #require(try store.papers().first { Array($0.id.rawValue.utf8) == Array(row.row.id.rawValue.utf8) })
            #expect(PaperBytes(stored) == PaperBytes(row.row))
        }
        #expect(parsed.rows[0].row.publishedAt == Date(timeIntervalSince1970: 1_742_292_000.123))

        let events = "user,paper,kind,at,position,list,propensity\nu\u{e9},p,impression,2026-03-01T00:00:00.0004Z,3,L\u{2028}1,0.25\n"
        let parsedEvents = try EventParser.parse(file: InputFile(path: "e.csv", contents: Array(events.utf8)), format: .csv, options: Support.options)
        var s2 = IngestSummary(file: "e.csv", kind: "events")
        try store.applyEvents(parsedEvents.rows, into: &s2)
        #expect(try store.events() == parsedEvents.rows.map(\.row))
    }

    func jsonl(_ s: String) -> String { s + "\n" }

    /// Defect 5: `0x10` and `1e2` were accepted as CSV counts (`Double("0x10")` is 16).
    @Test func csvCountsMustBeDecimalDigits() throws {
        let csv = "paper,observed_at,upvotes\np1,2026-03-01,0x10\np2,2026-03-01,1e2\np3,2026-03-01,inf\np4,2026-03-01,+7\n"
        let parsed = try UpvoteParser.parse(file: InputFile(path: "o.csv", contents: Array(csv.utf8)), options: Support.options)
        #expect(parsed.issues.map(\.description) == [
            "o.csv:2: upvotes: not a whole number: \"0x10\"", "o.csv:3: upvotes: not a whole number: \"1e2\"",
            "o.csv:4: upvotes: not a whole number: \"inf\"",
        ])
        #expect(parsed.rows.map(\.row.upvotes) == [7])
        let events = "user,paper,kind,at,propensity\nu,p,impression,2026-03-01,0x1p-1\nu,q,impression,2026-03-01,5e-1\n"
        let e = try EventParser.parse(file: InputFile(path: "e.csv", contents: Array(events.utf8)), format: .csv, options: Support.options)
        #expect(e.issues.map(\.field) == ["propensity"])
        #expect(e.rows.map(\.row.propensity) == [0.5])
    }

    /// Defect 5: an event or observation repeated with other content was counted as a duplicate
    /// (or an update) without a word.
    @Test func repeatsWithOtherContentAreIssues() throws {
        let events = [
            #"{"user": "u", "paper": "p", "kind": "impression", "at": "2026-03-01T09:00:00Z", "position": 1}"#,
            #"{"user": "u", "paper": "p", "kind": "impression", "at": "2026-03-01T09:00:00Z", "position": 1}"#,
            #"{"user": "u", "paper": "p", "kind": "impression", "at": "2026-03-01T09:00:00Z", "position": 4}"#,
        ].joined(separator: "\n") + "\n"
        let (r, _) = try ingest(.events, "rep.jsonl", events, format: "jsonl")
        #expect((r.summary.accepted, r.summary.duplicate, r.summary.rejected) == (1, 1, 1))
        #expect(r.issues.map(\.description).first?.hasSuffix(
            "rep.jsonl:3: record: same user, paper, kind and time as line 1 but a different position, list or propensity; keep one of them") == true)

        let csv = "paper,observed_at,upvotes\np,2026-03-01T10:00:00Z,5\np,2026-03-01T10:00:00Z,5\np,2026-03-01T10:00:00Z,9\n"
        let (o, store) = try ingest(.upvotes, "obs.csv", csv)
        #expect((o.summary.accepted, o.summary.duplicate, o.summary.updated, o.summary.rejected) == (1, 1, 0, 1))
        #expect(o.issues.first?.field == "upvotes")
        #expect(o.issues.first?.reason == "9 for paper p at 2026-03-01T10:00:00Z, but line 2 says 5; keep one of them")
        #expect(try store.upvoteObservations().map(\.upvotes) == [5])
    }

    /// Defect 5: a BOM at the start of a JSONL file rejected its first row (and one at the start of
    /// a Daily Papers page made the header a title).
    @Test func aByteOrderMarkIsAcceptedAtTheStartOfEveryTextFormat() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let jsonl = bom + Array(#"{"id": "x", "title": "T"}"#.utf8) + [10]
        #expect(try PaperParser.parse(file: InputFile(path: "b.jsonl", contents: jsonl), format: .jsonl, options: Support.options).rows.count == 1)
        let events = bom + Array(#"{"user": "u", "paper": "p", "kind": "read", "at": "2026-03-01"}"#.utf8)
        #expect(try EventParser.parse(file: InputFile(path: "e.jsonl", contents: events), format: .jsonl, options: Support.options).rows.count == 1)
        let csv = bom + Array("id,title\nx,T\n".utf8)
        #expect(try PaperParser.parse(file: InputFile(path: "b.csv", contents: csv), format: .csv, options: Support.options).rows.count == 1)
        let page = bom + Array("new\n\nDaily Papers\n\nA title\n\nAn abstract\n".utf8)
        let dp = try PaperParser.parse(file: InputFile(path: "p.txt", contents: page), format: .dailypapers, options: Support.options)
        #expect(dp.rows.map(\.row.title) == ["A title"])
        let gz = try Support.gzip(jsonl)
        #expect(try PaperParser.parse(file: InputFile(path: "b.jsonl.gz", contents: gz), format: .jsonl, options: Support.options).rows.count == 1)
        #expect(throws: IOError.emptyFile("only-bom")) { _ = try InputFile(path: "only-bom", contents: bom) }
    }

    /// The header hint named `--column`, a flag that does not exist; it is `--map`.
    @Test func missingColumnHintNamesTheMapFlag() throws {
        let path = try Support.write("o.csv", "id_x,observed_at,upvotes\np,2026-03-01,1\n")
        do {
            _ = try UpvoteParser.parse(path: path, options: Support.options)
            Issue.record("parsed without a paper column")
        } catch let e as IOError {
            #expect("\(e)".hasSuffix("map a column with --map paper=COLUMN"))
        }
        #expect(IngestOptions.mappableFields(.upvotes) == ["paper", "observed_at", "upvotes"])
        #expect(throws: IOError.self) { try IngestOptions.checkColumnMap(["foo": "bar"], kind: .papers) }
        #expect(throws: IOError.self) { try IngestOptions.checkColumnMap(["paper": ""], kind: .upvotes) }
        try IngestOptions.checkColumnMap(["paper": "arxiv_id"], kind: .upvotes)
    }

    @Test func aNulInAVocabularyTermRefusesTheCorpus() throws {
        let dir = try Support.tempDirectory()
        try Data("a\nb\u{0}c\n".utf8).write(to: URL(fileURLWithPath: dir + "/vocabulary.dat"))
        try Data("1 0:1\n".utf8).write(to: URL(fileURLWithPath: dir + "/mult.dat"))
        do {
            _ = try CorpusParser.parse(name: "c", documents: dir + "/mult.dat", vocabulary: dir + "/vocabulary.dat", libraries: nil)
            Issue.record("a NUL term was accepted")
        } catch let IOError.unusableRow(issue) {
            #expect(issue.line == 2)
            #expect(issue.field == "term")
        }
    }
}

/// A paper's fields as bytes (Swift `String ==` is canonical equivalence: `é` equals `e\u0301`).
struct PaperBytes: Equatable {
    var fields: [[UInt8]]
    var publishedAt: Date?
    var upvotes: Int?
    init(_ p: Paper) {
        fields = [p.id.rawValue, p.title, p.abstract, p.organization ?? "<nil>", p.source].map { Array($0.utf8) }
            + p.authors.map { Array($0.utf8) } + [[0xFF]] + p.categories.map { Array($0.utf8) }
        publishedAt = p.publishedAt
        upvotes = p.upvotes
    }
}
