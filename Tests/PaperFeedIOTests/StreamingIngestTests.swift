import Foundation
import GRDB
import PaperFeedCore
import Testing

@testable import PaperFeedIO

/// Streaming ingest on files larger than one chunk (tiny chunk sizes): the outcome (summary,
/// issues, rejects file, stored rows) does not depend on the chunk size; `--strict`,
/// idempotence, resuming after a stop and a file cut short behave as the guarantees say.
@Suite struct StreamingIngestTests {
    static let whole = 1 << 30

    func options(_ kind: IngestKind, _ format: String?, chunk: Int, strict: Bool = false, rejects: String) -> IngestOptions {
        IngestOptions(kind: kind, format: format, parse: Support.options, strict: strict, rejectsDirectory: rejects, chunkBytes: chunk)
    }

    /// What an ingest produced, with the run-specific parts (timings, paths) left out.
    struct Outcome: Equatable {
        var summaries: [IngestSummary]
        var errors: [String?]
        var issues: [[String]]
        var rejects: [String]
        var events: [Event]
        var papers: [Paper]
        var observations: [UpvoteObservation]
    }

    func outcome(_ results: [IngestFileResult], _ store: Store) throws -> Outcome {
        let rejects = results.map { r in r.summary.rejectsFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? "" }
        return Outcome(
            summaries: results.map {
                var s = $0.summary
                s.seconds = 0
                s.rejectsFile = s.rejectsFile.map { URL(fileURLWithPath: $0).lastPathComponent }
                return s
            },
            errors: results.map(\.error), issues: results.map { $0.issues.map(\.description) }, rejects: rejects,
            events: try store.events(), papers: try store.papers(), observations: try store.upvoteObservations())
    }

    /// A synthetic log with bad rows at known lines (and repeated lines from the generator).
    func eventsWithBadRows(_ n: Int, seed: UInt64 = 3) throws -> (path: String, badLines: [Int]) {
        let path = try Support.tempDirectory() + "/log.jsonl"
        var log = SyntheticFeedLog(events: n, seed: seed)
        log.readers = 300
        log.start = Timestamp.parse("2026-03-01")!
        try log.write(to: path)
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let bad = [
            #"{"user": "u", "paper": "p", "kind": "click", "at": "2026-03-02T00:00:00Z"}"#,
            #"{"user": "u", "paper": "p", "kind": "read", "at": "yesterday"}"#,
            #"{"user": "u", "paper": "p", "kind": "impression", "at": "2026-03-02T00:00:00Z", "position": 0}"#,
            #"{"user": "u", "paper": "p", "ki"#,
        ]
        var badLines: [Int] = []
        for (k, position) in [1, n / 3, n / 2, n - 1].enumerated() {
            lines.insert(bad[k], at: position)
            badLines.append(position + 1)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (path, badLines.sorted())
    }

    @Test func chunkSizeDoesNotChangeTheOutcome() throws {
        let (log, badLines) = try eventsWithBadRows(3000)
        var reference: Outcome?
        for chunk in [Self.whole, 1, 97, 4096] {
            let (store, dir) = try temporaryStore()
            let rejects = dir.path + "/rejects"
            let papers = Ingestor.run(files: [Support.fixture("papers-mixed.jsonl")], options: options(.papers, "jsonl", chunk: chunk, rejects: rejects), store: store)
            let events = Ingestor.run(files: [Support.fixture("events-mixed.jsonl"), log], options: options(.events, "jsonl", chunk: chunk, rejects: rejects), store: store)
            let got = try outcome(papers + events, store)
            if let reference {
                #expect(got == reference, "chunk size \(chunk)")
            } else {
                reference = got
                // The known answers of the mixed fixtures (IngestEndToEndTests) and the injected bad rows.
                #expect(got.summaries[0].accepted == 3 && got.summaries[0].rejected == 9)
                #expect(got.summaries[1].accepted == 3 && got.summaries[1].rejected == 9)
                #expect(got.summaries[2].rejected == 4)
                #expect(got.issues[2].map { $0.split(separator: ":")[1] }.map { Int($0)! } == badLines)
                #expect(got.summaries[2].accepted + got.summaries[2].duplicate == 3000)
                #expect(got.summaries[2].duplicate > 0, "the generator repeats a few lines")
            }
        }
    }

    @Test func csvRecordsSpanningChunksKeepTheirLines() throws {
        // Quoted fields, some of them over two lines: records of several lines cross chunk
        // boundaries. A line break in a list id is refused (ids hold no control character), so
        // those records are issues at their first line, like the unknown kinds.
        var text = "user,paper,kind,at,position,list,propensity\n"
        var expectedBad: [Int] = []
        var line = 2
        for i in 0..<400 {
            if i % 97 == 50 {
                text += "u\(i),p\(i % 7),click,2026-03-02T00:00:00Z,,,\n"
                expectedBad.append(line)
                line += 1
                continue
            }
            let time = "2026-03-02T00:\(String(format: "%02d", i % 60)):00Z"
            if i % 5 == 3 {
                text += "u\(i % 13),p\(i % 7),impression,\(time),\(1 + i % 9),\"list \(i)\nsecond line\",0.5\n"
                expectedBad.append(line)
                line += 2
            } else {
                text += "u\(i % 13),p\(i % 7),impression,\(time),\(1 + i % 9),\"list \(i), quoted\",0.5\n"
                line += 1
            }
        }
        let path = try Support.write("events.csv", text)
        var reference: Outcome?
        for chunk in [Self.whole, 1, 33, 1000] {
            let (store, dir) = try temporaryStore()
            let r = Ingestor.run(files: [path], options: options(.events, "csv", chunk: chunk, rejects: dir.path), store: store)
            let got = try outcome(r, store)
            #expect(got.issues[0].map { Int($0.split(separator: ":")[1])! } == expectedBad, "chunk size \(chunk)")
            if let reference { #expect(got == reference, "chunk size \(chunk)") } else { reference = got }
        }
        #expect(reference?.events.contains { $0.list == "list 0, quoted" } == true)
    }

    @Test func duplicateIDsAreCheckedAcrossChunks() throws {
        var lines: [String] = []
        for i in 0..<200 {
            lines.append(#"{"id": "p\#(i)", "title": "Title \#(i)", "abstract": "Abstract \#(i)", "published_at": "2025-03-18"}"#)
        }
        lines[150] = #"{"id": "p3", "title": "Another title", "abstract": "Abstract 3", "published_at": "2025-03-18"}"#
        lines[170] = lines[5]
        let path = try Support.write("papers.jsonl", lines.joined(separator: "\n") + "\n")
        for chunk in [Self.whole, 1, 500] {
            let (store, dir) = try temporaryStore()
            let r = Ingestor.run(files: [path], options: options(.papers, "jsonl", chunk: chunk, rejects: dir.path), store: store)[0]
            #expect(r.issues.map(\.description) == ["\(path):151: id: duplicate id with different content (first at line 4)"])
            #expect((r.summary.accepted, r.summary.duplicate, r.summary.rejected) == (198, 1, 1), "chunk size \(chunk)")
        }
    }

    @Test func reingestOfAMultiChunkFileIsAllDuplicates() throws {
        let (log, _) = try eventsWithBadRows(2000)
        let (store, dir) = try temporaryStore()
        let o = options(.events, "jsonl", chunk: 512, rejects: dir.path)
        let first = Ingestor.run(files: [log], options: o, store: store)[0]
        let again = Ingestor.run(files: [log], options: o, store: store)[0]
        #expect(first.error == nil && again.error == nil)
        #expect(again.summary.accepted == 0 && again.summary.duplicate == 2000 && again.summary.rejected == 4)
        #expect(try store.stats().events == first.summary.accepted)
    }

    @Test func strictOnAMultiChunkFileLeavesTheDatabaseUntouched() throws {
        let (log, badLines) = try eventsWithBadRows(1500)
        let (store, dir) = try temporaryStore()
        let good = try Support.write("good.jsonl", #"{"user":"u","paper":"p","kind":"read","at":"2026-03-01T10:00:00Z"}"# + "\n")
        _ = Ingestor.run(files: [good], options: options(.events, "jsonl", chunk: 256, rejects: dir.path), store: store)
        try store.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: store.path))
        let reopened = try Store(path: store.path)
        let r = Ingestor.run(files: [log], options: options(.events, "jsonl", chunk: 256, strict: true, rejects: dir.path), store: reopened)[0]
        #expect(r.error?.hasPrefix("\(log):\(badLines[0]): kind:") == true)
        #expect(r.issues.map(\.line) == [badLines[0]])
        try reopened.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == before)
        // Without the bad rows, strict applies the file (after its validation pass) like a normal ingest.
        let text = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").enumerated()
            .filter { !badLines.contains($0.offset + 1) }.map { String($0.element) }.joined(separator: "\n")
        let clean = try Support.write("clean.jsonl", text + "\n")
        let strictStore = try temporaryStore().0, plainStore = try temporaryStore().0
        let a = Ingestor.run(files: [clean], options: options(.events, "jsonl", chunk: 256, strict: true, rejects: dir.path), store: strictStore)[0]
        let b = Ingestor.run(files: [clean], options: options(.events, "jsonl", chunk: 256, rejects: dir.path), store: plainStore)[0]
        #expect(a.error == nil && a.summary.accepted == b.summary.accepted && a.summary.accepted > 1000)
        #expect(try strictStore.events() == plainStore.events())
    }

    @Test func rerunAfterAStopResumesAndEqualsAnUninterruptedRun() throws {
        let (log, _) = try eventsWithBadRows(2500)
        // A papers file whose conflicting duplicate (line 180) refers to a line before the stop.
        var lines: [String] = []
        for i in 0..<200 {
            lines.append(#"{"id": "2503.\#(String(format: "%05d", i))", "title": "Title \#(i)", "abstract": "Abstract \#(i)", "published_at": "2026-03-01"}"#)
        }
        lines[179] = #"{"id": "2503.00002", "title": "Changed", "abstract": "Abstract 2", "published_at": "2026-03-01"}"#
        let papers = try Support.write("papers.jsonl", lines.joined(separator: "\n") + "\n")
        let chunk = 1024
        func ingest(_ store: Store, _ dir: URL, stop: Int?) -> [IngestFileResult] {
            var p = options(.papers, "jsonl", chunk: chunk, rejects: dir.path + "/rejects")
            var e = options(.events, "jsonl", chunk: chunk, rejects: dir.path + "/rejects")
            p.stopAfterChunks = stop
            e.stopAfterChunks = stop.map { max(1, $0 - 6) }
            return Ingestor.run(files: [papers], options: p, store: store) + Ingestor.run(files: [log], options: e, store: store)
        }
        let (reference, referenceDir) = try temporaryStore()
        let expected = try outcome(ingest(reference, referenceDir, stop: nil), reference)
        #expect(expected.errors == [nil, nil])
        #expect(expected.issues[0].contains { $0.contains(":180: id: duplicate id with different content (first at line 3)") })
        for stop in [1, 3, 9] {
            let (store, dir) = try temporaryStore()
            let stopped = ingest(store, dir, stop: stop)
            #expect(stopped.contains { $0.error?.contains("stopped") == true })
            let progress = try #require(try store.ingestProgress(kind: "papers", path: URL(fileURLWithPath: papers).resolvingSymlinksInPath().path))
            #expect(!progress.checkpoint.complete && progress.checkpoint.bytes > 0)
            let resumed = try outcome(ingest(store, dir, stop: nil), store)
            #expect(resumed == expected, "stopped after \(stop) chunks")
        }
    }

    @Test func aFileChangedSinceTheStopIsIngestedFromTheStart() throws {
        let (log, _) = try eventsWithBadRows(1200)
        let (store, dir) = try temporaryStore()
        var o = options(.events, "jsonl", chunk: 2048, rejects: dir.path)
        o.stopAfterChunks = 3
        let oldFirst = try #require(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").dropFirst(2).first)
        _ = Ingestor.run(files: [log], options: o, store: store)
        // Rewrite the file: its third line (a good one) is now another event.
        var lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = #"{"user":"someone-else","paper":"2503.00001","kind":"save","at":"2026-03-01T00:00:00Z"}"#
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        o.stopAfterChunks = nil
        let r = Ingestor.run(files: [log], options: o, store: store)[0]
        #expect(r.error == nil)
        let (fresh, freshDir) = try temporaryStore()
        _ = Ingestor.run(files: [log], options: options(.events, "jsonl", chunk: 2048, rejects: freshDir.path), store: fresh)
        // The store holds the new file's events plus the old third line, applied before the change.
        let old = try EventParser.parse(file: InputFile(path: "x", inflated: Array((oldFirst + "\n").utf8)), format: .jsonl, options: Support.options).rows[0].row
        #expect(Set(try store.events()) == Set(try fresh.events() + [old]))
        let progress = try #require(try store.ingestProgress(kind: "events", path: URL(fileURLWithPath: log).resolvingSymlinksInPath().path))
        #expect(progress.checkpoint.complete)
    }

    @Test func aGzipCutShortKeepsWhatWasAppliedAndTheFullFileCompletesIt() throws {
        let (log, _) = try eventsWithBadRows(3000)
        let gz = try Support.gzip(Array(try Data(contentsOf: URL(fileURLWithPath: log))))
        let path = try Support.tempDirectory() + "/log.jsonl.gz"
        try Data(gz[0..<(gz.count * 6 / 10)]).write(to: URL(fileURLWithPath: path))
        let (store, dir) = try temporaryStore()
        let o = options(.events, nil, chunk: 4096, rejects: dir.path)
        let cut = Ingestor.run(files: [path], options: o, store: store)[0]
        #expect(cut.error?.contains("gzip stream is cut short") == true)
        #expect(cut.error?.contains("were applied and are kept") == true)
        let applied = try store.stats().events
        #expect(applied > 0 && applied == cut.summary.accepted)
        try Data(gz).write(to: URL(fileURLWithPath: path))
        let full = Ingestor.run(files: [path], options: o, store: store)[0]
        let (reference, referenceDir) = try temporaryStore()
        let expected = Ingestor.run(files: [path], options: options(.events, nil, chunk: 4096, rejects: referenceDir.path), store: reference)[0]
        #expect(full.error == nil)
        #expect((full.summary.accepted, full.summary.duplicate, full.summary.rejected) == (expected.summary.accepted, expected.summary.duplicate, expected.summary.rejected))
        #expect(try store.events() == reference.events())
    }

    /// A backend that passes chunks to a store and fails on the `failOn`-th one (a database error).
    final class FailingBackend: IngestBackend {
        let store: Store
        let failOn: Int
        var calls = 0
        init(_ store: Store, failOn: Int) {
            self.store = store
            self.failOn = failOn
        }
        func ingestProgress(kind: String, path: String) throws -> IngestProgress? { try store.ingestProgress(kind: kind, path: path) }
        func applyChunk(_ rows: IngestRows, checkpoint: IngestCheckpoint?, into summary: inout IngestSummary) throws {
            calls += 1
            if calls == failOn { throw IOError.database(store.path, reason: "disk I/O error (test)") }
            try store.applyChunk(rows, checkpoint: checkpoint, into: &summary)
        }
    }

    @Test func aDatabaseErrorPartWayKeepsTheAppliedChunksAndARerunCompletesTheFile() throws {
        let (log, _) = try eventsWithBadRows(2000)
        let (store, dir) = try temporaryStore()
        let o = options(.events, "jsonl", chunk: 4096, rejects: dir.path)
        let failing = FailingBackend(store, failOn: 5)
        let broken = StreamingIngest(files: [log], options: o, store: store, backend: failing).run()[0]
        #expect(broken.error?.contains("disk I/O error (test)") == true)
        #expect(broken.error?.contains("were applied and are kept") == true)
        #expect(try store.stats().events == broken.summary.accepted && broken.summary.accepted > 0)
        #expect(failing.calls == 5, "nothing is applied after the error")
        let rerun = Ingestor.run(files: [log], options: o, store: store)[0]
        let (reference, referenceDir) = try temporaryStore()
        let expected = Ingestor.run(files: [log], options: options(.events, "jsonl", chunk: 4096, rejects: referenceDir.path), store: reference)[0]
        #expect(rerun.error == nil)
        #expect((rerun.summary.accepted, rerun.summary.duplicate, rerun.summary.orphan, rerun.summary.rejected)
                    == (expected.summary.accepted, expected.summary.duplicate, expected.summary.orphan, expected.summary.rejected))
        #expect(try store.events() == reference.events())
    }

    @Test func queryPlansUseTheKeysAndIndexes() throws {
        let (store, _) = try temporaryStore()
        func plan(_ sql: String) throws -> String {
            try store.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: " | ") }
        }
        // De-duplication of events (the INSERT OR IGNORE probe) and the as-of query.
        #expect(try plan("SELECT 1 FROM events WHERE at = 1 AND user = 'u' AND paper = 'p' AND kind = 'read'")
                    .contains("USING PRIMARY KEY (at=? AND user=? AND paper=? AND kind=?)"))
        let asOf = try plan("SELECT user, paper, kind, at, position, list, propensity FROM events WHERE at >= 0 AND at < 10 ORDER BY at, user, paper, kind")
        #expect(asOf.contains("SEARCH events USING PRIMARY KEY (at>? AND at<?)"), "\(asOf)")
        #expect(!asOf.contains("TEMP B-TREE"), "\(asOf)")
        // Papers: the stored hashes without reading the texts; the orphan check by id.
        #expect(try plan(Store.paperHashesQuery.replacingOccurrences(of: "?", with: "'x'")).contains("USING COVERING INDEX papers_hashes (id=?)"))
        #expect(try plan("SELECT 1 FROM papers WHERE id = 'x'").contains("SEARCH papers USING"))
        // Observations: the upsert probe, and the as-of read in key order without a sort.
        #expect(try plan("SELECT upvotes FROM upvote_observations WHERE paper = 'p' AND observed_at = 1").contains("USING PRIMARY KEY (paper=? AND observed_at=?)"))
        let observations = try plan("SELECT paper, observed_at, upvotes FROM upvote_observations WHERE observed_at < 5 ORDER BY paper, observed_at")
        #expect(!observations.contains("TEMP B-TREE"), "\(observations)")
        #expect(try plan("SELECT status FROM ingest_files WHERE kind = 'events' AND path = '/x'").contains("USING PRIMARY KEY (kind=? AND path=?)"))
    }
}
