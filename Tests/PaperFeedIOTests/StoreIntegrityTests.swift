import Foundation
import GRDB
import Testing

@testable import PaperFeedCore
@testable import PaperFeedIO

/// Issue 15, defect 5: `--db` pointed at another application's SQLite file added PaperFeed's
/// tables to it, and a store with a corrupt page still accepted an ingest. Both failed before
/// the fix (the first `Store(path:)` migrated the foreign file; the ingest returned no error).
@Suite struct StoreIntegrityTests {
    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func anotherApplicationsDatabaseIsRefusedUntouched() throws {
        let dir = try Support.tempDirectory()
        let path = dir + "/other.sqlite"
        let other = try DatabaseQueue(path: path)
        try other.write { db in
            try db.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')")
        }
        try other.close()
        let before = try bytes(path)
        do {
            _ = try Store(path: path)
            Issue.record("a foreign database was opened as a store")
        } catch let IOError.notAStore(p, reason) {
            #expect(p == path)
            #expect(reason.contains("not a PaperFeed store (its tables: notes)"))
        }
        #expect(try bytes(path) == before)
    }

    @Test func aFileThatIsNotSQLiteIsRefused() throws {
        let path = try Support.write("notes.txt", "just some text, not a database\n")
        #expect(throws: IOError.self) { _ = try Store(path: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "just some text, not a database\n")
        // An empty file, or an SQLite file without tables, becomes a store.
        let empty = try Support.write("empty.sqlite", "")
        #expect(try Store(path: empty).stats().papers == 0)
        let blank = try Support.tempDirectory() + "/blank.sqlite"
        try DatabaseQueue(path: blank).close()
        #expect(try Store(path: blank).stats().papers == 0)
    }

    @Test func aCorruptPageStopsTheIngestBeforeItWrites() throws {
        let (store, dir) = try temporaryStore()
        let papers = (0..<50).map { i in Located(line: i + 1, row: Paper(id: PaperID("p\(i)"), title: "Title \(i)", abstract: String(repeating: "word ", count: 50))) }
        var summary = IngestSummary(file: "x", kind: "papers")
        try store.applyPapers(papers, into: &summary)
        let root = try store.read { db in try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'libraries'") }
        let pageSize = try store.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } ?? 4096
        try store.close()
        // Damage the `libraries` table's (only) page, which a paper ingest never reads: its
        // b-tree page type byte becomes invalid.
        let rootPage = try #require(root)
        let handle = try #require(FileHandle(forUpdatingAtPath: store.path))
        try handle.seek(toOffset: UInt64((rootPage - 1) * pageSize))
        try handle.write(contentsOf: Data([0x07]))
        try handle.close()
        let before = try bytes(store.path)

        let reopened = try Store(path: store.path)
        let file = try Support.write("new.jsonl", #"{"id": "new", "title": "T", "abstract": "A"}"# + "\n")
        let result = Ingestor.run(
            files: [file], options: IngestOptions(kind: .papers, parse: Support.options, rejectsDirectory: dir.path), store: reopened)[0]
        #expect(result.error?.contains("failed its integrity check") == true)
        try reopened.close()
        #expect(try bytes(store.path) == before)
    }
}
