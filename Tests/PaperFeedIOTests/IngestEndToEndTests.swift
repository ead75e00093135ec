import Foundation
import Testing

@testable import PaperFeedCore
@testable import PaperFeedIO

/// Ingest through `Ingestor` (parse → one transaction per file → summary, rejects file), on the
/// mixed fixtures described in Fixtures/SOURCES.md.
@Suite struct IngestEndToEndTests {
    func options(_ kind: IngestKind, strict: Bool = false, rejects: String? = nil) -> IngestOptions {
        IngestOptions(kind: kind, format: "jsonl", parse: Support.options, strict: strict, rejectsDirectory: rejects)
    }

    @Test func mixedFileStoresGoodRowsAndReportsEveryBadOne() throws {
        let (store, dir) = try temporaryStore()
        let papers = Ingestor.run(files: [Support.fixture("papers-mixed.jsonl")], options: options(.papers, rejects: dir.path), store: store)[0]
        #expect(papers.error == nil)
        #expect((papers.summary.accepted, papers.summary.duplicate, papers.summary.rejected) == (3, 1, 9))
        #expect(Set(papers.issues.map(\.line)) == [3, 4, 5, 6, 7, 8, 9, 10, 12])
        #expect(papers.issues.first { $0.line == 7 }?.field == "upvotes")
        let rejects = try String(contentsOfFile: try #require(papers.summary.rejectsFile), encoding: .utf8)
        #expect(rejects.split(separator: "\n").count == 9)
        #expect(rejects.contains("papers-mixed.jsonl:12: id: duplicate id"))
        #expect(try store.stats().papers == 3)

        let events = Ingestor.run(files: [Support.fixture("events-mixed.jsonl")], options: options(.events, rejects: dir.path), store: store)[0]
        #expect((events.summary.accepted, events.summary.rejected) == (3, 9))
        #expect(events.summary.orphan == 0)  // 2503.00001 and 2503.00013 are stored
        #expect(Set(events.issues.map(\.line)) == [3, 4, 5, 6, 7, 8, 9, 10, 11])
    }

    @Test func reingestingTheSameFileChangesNothing() throws {
        let (store, dir) = try temporaryStore()
        _ = Ingestor.run(files: [Support.fixture("papers-mixed.jsonl")], options: options(.papers, rejects: dir.path), store: store)
        let again = Ingestor.run(files: [Support.fixture("papers-mixed.jsonl")], options: options(.papers, rejects: dir.path), store: store)[0]
        #expect((again.summary.accepted, again.summary.updated, again.summary.duplicate) == (0, 0, 4))
    }

    @Test func strictLeavesTheDatabaseFileByteForByteUnchanged() throws {
        let (store, dir) = try temporaryStore()
        let good = try Support.write("good.jsonl", #"{"id":"x1","title":"A title","abstract":"Text","authors":["A"],"published_at":"2025-01-02"}"# + "\n")
        _ = Ingestor.run(files: [good], options: options(.papers), store: store)
        try store.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path))
        let reopened = try Store(path: store.path)
        let result = Ingestor.run(files: [Support.fixture("papers-mixed.jsonl")], options: options(.papers, strict: true, rejects: dir.path), store: reopened)[0]
        #expect(result.error != nil)
        #expect(result.error?.contains("papers-mixed.jsonl:3: id:") == true)
        try reopened.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == before)
        #expect(try Store(path: store.path).stats().papers == 1)
    }

    @Test func fileLevelProblemsFailThatFileOnly() throws {
        let (store, dir) = try temporaryStore()
        let empty = try Support.write("empty.jsonl", "")
        let good = try Support.write("one.jsonl", #"{"id":"y","title":"T","abstract":"","authors":[],"published_at":"2025-01-02"}"# + "\n")
        let results = Ingestor.run(files: ["/no/such/file.jsonl", dir.path, empty, good], options: options(.papers), store: store)
        #expect(results.map { $0.error != nil } == [true, true, true, false])
        #expect(results[0].error?.contains("no such file") == true)
        #expect(results[1].error?.contains("is a directory") == true)
        #expect(results[2].error?.contains("empty") == true)
        #expect(try store.stats().papers == 1)
    }

    @Test func orphanEventsAreKeptAndCounted() throws {
        let (store, _) = try temporaryStore()
        let events = try Support.write("orphans.jsonl", #"{"user":"u","paper":"nowhere","kind":"read","at":"2025-01-02T10:00:00Z"}"# + "\n")
        let r = Ingestor.run(files: [events], options: options(.events), store: store)[0]
        #expect((r.summary.accepted, r.summary.orphan) == (1, 1))
        #expect(try store.stats().orphanEvents == 1)
    }

    @Test func seedPageIngestsFiftyFivePapersWithTheirCounts() throws {
        let (store, _) = try temporaryStore()
        var o = options(.papers)
        o.format = "dailypapers"
        o.parse = ParseOptions(now: Support.now, listingDate: Timestamp.parse("2026-03-13"))
        let r = Ingestor.run(files: [Support.data("seed/dailypapers-000_bf214649806cd60e.txt")], options: o, store: store)[0]
        #expect(r.summary.accepted == 55)
        let s = try store.stats()
        #expect((s.papers, s.papersWithDate) == (55, 52))
        let counts = try store.papers().compactMap(\.upvotes).reduce(0, +)
        // Twelve entries carry a trailing count (5, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1); every other dated entry is 0.
        #expect(counts == 5 + 3 + 3 + 2 * 6 + 1 * 3)
        #expect(try store.papers().filter { ($0.upvotes ?? 0) > 0 }.count == 12)
    }
}
