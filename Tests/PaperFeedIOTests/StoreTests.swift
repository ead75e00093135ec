import Foundation
import Testing

import GRDB
@testable import PaperFeedCore
@testable import PaperFeedIO

/// A fresh database in a temporary folder.
func temporaryStore(_ name: String = #function) throws -> (Store, URL) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("paperfeed-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return (try Store(path: dir.appendingPathComponent("test.sqlite").path), dir)
}

private func paper(_ id: String, _ title: String = "T", upvotes: Int? = nil, day: String? = "2025-03-18") -> Located<Paper> {
    Located(
        line: 1,
        row: Paper(id: PaperID(id), title: title, abstract: "A", authors: ["X"], publishedAt: day.flatMap { Timestamp.parse($0) },
                   upvotes: upvotes, source: "test"))
}

@Suite struct StoreTests {
    @Test func papersUpsertIsIdempotent() throws {
        let (store, _) = try temporaryStore()
        var s1 = IngestSummary(file: "a", kind: "papers")
        try store.applyPapers([paper("1"), paper("2"), paper("2")], into: &s1)
        #expect((s1.accepted, s1.updated, s1.duplicate) == (2, 0, 1))
        var s2 = IngestSummary(file: "a", kind: "papers")
        try store.applyPapers([paper("1"), paper("2")], into: &s2)
        #expect((s2.accepted, s2.updated, s2.duplicate) == (0, 0, 2))
        var s3 = IngestSummary(file: "b", kind: "papers")
        try store.applyPapers([paper("1", "New title")], into: &s3)
        #expect((s3.accepted, s3.updated, s3.duplicate) == (0, 1, 0))
        #expect(try store.paper("1")?.title == "New title")
    }

    @Test func unknownFieldsDoNotEraseStoredOnes() throws {
        let (store, _) = try temporaryStore()
        var s = IngestSummary(file: "a", kind: "papers")
        try store.applyPapers([paper("1", upvotes: 7)], into: &s)
        var s2 = IngestSummary(file: "b", kind: "papers")
        try store.applyPapers([paper("1", upvotes: nil, day: nil)], into: &s2)
        #expect(s2.duplicate == 1)
        let p = try #require(try store.paper("1"))
        #expect(p.upvotes == 7)
        #expect(p.publishedAt == Timestamp.parse("2025-03-18"))
    }

    @Test func eventsDeduplicateAndCountOrphans() throws {
        let (store, _) = try temporaryStore()
        var s = IngestSummary(file: "p", kind: "papers")
        try store.applyPapers([paper("1")], into: &s)
        let at = Timestamp.parse("2025-03-19T10:00:00Z")!
        let events = [
            Event(user: "u", paper: "1", kind: .read, at: at),
            Event(user: "u", paper: "1", kind: .read, at: at),
            Event(user: "u", paper: "1", kind: .save, at: at),
            Event(user: "u", paper: "missing", kind: .impression, at: at, position: 3),
        ].map { Located(line: 1, row: $0) }
        var e = IngestSummary(file: "e", kind: "events")
        try store.applyEvents(events, into: &e)
        #expect((e.accepted, e.duplicate, e.orphan) == (3, 1, 1))
        var again = IngestSummary(file: "e", kind: "events")
        try store.applyEvents(events, into: &again)
        #expect((again.accepted, again.duplicate, again.orphan) == (0, 4, 0))
        let stats = try store.stats()
        #expect(stats.events == 3 && stats.orphanEvents == 1 && stats.users == 1)
        #expect(try store.events().map(\.kind) == [.read, .save, .impression])  // ordered by (at, user, paper, kind)
    }

    @Test func observationsKeyedByPaperAndTime() throws {
        let (store, _) = try temporaryStore()
        let t = Timestamp.parse("2025-03-19T10:00:00Z")!
        var s = IngestSummary(file: "o", kind: "upvotes")
        try store.applyObservations([UpvoteObservation(paper: "1", observedAt: t, upvotes: 3)].map { Located(line: 2, row: $0) }, into: &s)
        #expect((s.accepted, s.orphan) == (1, 1))
        var s2 = IngestSummary(file: "o", kind: "upvotes")
        try store.applyObservations(
            [UpvoteObservation(paper: "1", observedAt: t, upvotes: 3), UpvoteObservation(paper: "1", observedAt: t, upvotes: 5)]
                .map { Located(line: 2, row: $0) }, into: &s2)
        #expect((s2.accepted, s2.duplicate, s2.updated) == (0, 1, 1))
        #expect(try store.upvoteObservations().map(\.upvotes) == [5])
    }

    @Test func corpusRoundTripsAndRefusesAnotherVocabulary() throws {
        let (store, _) = try temporaryStore()
        let docs = [
            BagOfWordsDocument(paper: "c:0", termIDs: [0, 2], counts: [1, 4]),
            BagOfWordsDocument(paper: "c:1", termIDs: [], counts: []),
        ]
        let corpus = Corpus(name: "c", vocabulary: ["a", "b", "c"], documents: docs, libraries: [(user: "c:u0", papers: ["c:1", "c:0"])], issues: [])
        var s = IngestSummary(file: "m", kind: "corpus")
        try store.applyCorpus(corpus, into: &s)
        var again = IngestSummary(file: "m", kind: "corpus")
        try store.applyCorpus(corpus, into: &again)
        #expect(again.accepted == 0)
        let back = try #require(try store.corpus(named: "c"))
        #expect(back.vocabulary == ["a", "b", "c"])
        #expect(back.documents == docs)
        #expect(back.libraries.first?.papers == ["c:0", "c:1"])
        var other = corpus
        other.vocabulary = ["x", "y", "z"]
        var s3 = IngestSummary(file: "m", kind: "corpus")
        #expect(throws: IOError.self) { try store.applyCorpus(other, into: &s3) }
    }

    @Test func directoryAsDatabaseIsAClearError() throws {
        let dir = FileManager.default.temporaryDirectory.path
        #expect(throws: IOError.isDirectory(dir)) { _ = try Store(path: dir) }
    }
}

@Suite struct PaperTextsTests {
    @Test func textsAreTitleNewlineAbstractInIDOrder() throws {
        let (store, _) = try temporaryStore()
        let papers = [
            Paper(id: "b", title: "Über café", abstract: "naïve — ünïcode\nsecond line", source: "test"),
            Paper(id: "a", title: "", abstract: "only an abstract", source: "test"),
            Paper(id: "c", title: "only a title", abstract: "", source: "test"),
            Paper(id: "corpus:0", title: "", abstract: "", source: "corpus:x"),
        ]
        var s = IngestSummary(file: "t", kind: "papers")
        try store.applyPapers(papers.map { Located(line: 1, row: $0) }, into: &s)
        let texts = try store.paperTexts()
        #expect(texts.map(\.id) == ["a", "b", "c"])
        #expect(texts.map(\.text) == ["\nonly an abstract", "Über café\nnaïve — ünïcode\nsecond line", "only a title\n"])
    }
}

@Suite struct IngestMigrationTests {
    /// A store made by the v3 schema (events keyed by user first, papers WITHOUT ROWID) keeps its
    /// rows through v4 and gets the new keys.
    @Test func v4KeepsTheRowsOfAV3Store() throws {
        let path = try Support.tempDirectory() + "/old.sqlite"
        let queue = try DatabaseQueue(path: path)
        try Store.migrator.migrate(queue, upTo: "v3-observation-source")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO papers VALUES ('2503.00002', 'T2', 'A2', '[]', 1742256000000, 3, '["cs.CL"]', NULL, 'jsonl', 'h2', 'h2');
                INSERT INTO papers VALUES ('2503.00001', 'T1', 'A1', '["X"]', NULL, NULL, '[]', 'Lab', 'arxiv', 'h1', 'i1');
                INSERT INTO events VALUES ('u2', '2503.00001', 'read', 2000, NULL, NULL, NULL);
                INSERT INTO events VALUES ('u1', '2503.00002', 'impression', 1000, 3, 'L', 0.25);
                INSERT INTO events VALUES ('u1', '2503.00001', 'save', 3000, NULL, NULL, NULL);
                INSERT INTO upvote_observations VALUES ('2503.00001', 5000, 7, NULL);
                """)
        }
        try queue.close()
        let store = try Store(path: path)
        #expect(try store.events().map { "\($0.user.rawValue)/\($0.kind.rawValue)" } == ["u1/impression", "u2/read", "u1/save"])
        #expect(try store.events().first?.propensity == 0.25)
        #expect(try store.papers().map(\.id) == ["2503.00001", "2503.00002"])
        #expect(try store.paper("2503.00001")?.organization == "Lab")
        #expect(try store.upvoteObservations().map(\.upvotes) == [7])
        try store.read { db in
            let events = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events'") ?? ""
            #expect(events.contains("PRIMARY KEY (at, user, paper, kind)") && events.contains("WITHOUT ROWID"))
            let papers = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'papers'") ?? ""
            #expect(!papers.contains("WITHOUT ROWID"))
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            #expect(indexes == ["papers_hashes", "papers_published"])
        }
        // Re-ingesting the stored paper is recognised by its hashes, as before the migration.
        var s = IngestSummary(file: "x", kind: "papers")
        try store.applyPapers([Located(line: 1, row: try #require(try store.paper("2503.00002")))], into: &s)
        #expect(s.updated + s.duplicate == 1)
    }
}
