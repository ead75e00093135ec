import Foundation
import GRDB
import PaperFeedCore

/// The SQLite implementation of `IngestBackend`: one short write transaction per chunk, with
/// prepared statements bound through the C API and multi-row inserts for events.
extension Store: IngestBackend {
    func ingestProgress(kind: String, path: String) throws -> IngestProgress? {
        try read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT status, bytes, lines, fingerprint, accepted, updated, duplicate, orphan
                    FROM ingest_files WHERE kind = ? AND path = ?
                    """, arguments: [kind, path])
            else { return nil }
            let checkpoint = IngestCheckpoint(
                kind: kind, path: path, complete: (row[0] as String) == "complete", bytes: row[1], lines: row[2], fingerprint: row[3])
            return IngestProgress(checkpoint: checkpoint, accepted: row[4], updated: row[5], duplicate: row[6], orphan: row[7])
        }
    }

    func applyChunk(_ rows: IngestRows, checkpoint: IngestCheckpoint?, into summary: inout IngestSummary) throws {
        try write { db in
            try applyRows(db, rows, into: &summary)
            if let checkpoint { try Store.record(db, checkpoint, summary) }
        }
    }

    /// Applies rows inside an open transaction.
    func applyRows(_ db: Database, _ rows: IngestRows, into summary: inout IngestSummary) throws {
        switch rows {
        case .papers(let r, let hashes): try PaperBatchWriter(db).apply(db, r, hashes: hashes, into: &summary)
        case .events(let r):
            var writer = try EventBatchWriter(db)
            try writer.apply(r, into: &summary)
        case .observations(let r, let source):
            var writer = try ObservationBatchWriter(db)
            try writer.apply(r, source: source, into: &summary)
        }
    }

    static func record(_ db: Database, _ c: IngestCheckpoint, _ s: IngestSummary) throws {
        try db.execute(
            sql: """
                INSERT INTO ingest_files (kind, path, status, bytes, lines, fingerprint, accepted, updated, duplicate, orphan)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(kind, path) DO UPDATE SET status = excluded.status, bytes = excluded.bytes,
                  lines = excluded.lines, fingerprint = excluded.fingerprint, accepted = excluded.accepted,
                  updated = excluded.updated, duplicate = excluded.duplicate, orphan = excluded.orphan
                """,
            arguments: [
                c.kind, c.path, c.complete ? "complete" : "partial", c.bytes, c.lines, c.fingerprint,
                s.accepted, s.updated, s.duplicate, s.orphan,
            ])
    }
}

/// Which papers of a chunk are stored: one primary-key lookup per distinct id, not per row.
struct KnownPapers {
    private let lookup: SQLiteStatement
    private var known: [String: Bool] = [:]

    init(_ db: Database) throws {
        lookup = try SQLiteStatement(db, "SELECT 1 FROM papers WHERE id = ?")
    }

    mutating func contains(_ id: String) throws -> Bool {
        if let k = known[id] { return k }
        lookup.bind(1, id)
        let found = try lookup.step()
        lookup.reset()
        known[id] = found
        return found
    }
}

/// Events: `INSERT OR IGNORE` of `rowsPerStatement` rows at a time. Rows whose paper is stored
/// and rows whose paper is not go in separate statements, so that the rows a statement inserts
/// are all accepted, or all accepted orphans; a row and its repeats (same paper) take the same
/// path in file order, so the first one is the one kept. The
/// texts of a statement's rows are copied into one buffer that SQLite reads in place (no
/// allocation per value); `kind` binds a string literal.
struct EventBatchWriter {
    /// 64 rows × 7 parameters = 448 bound values per statement (SQLite allows 32,766).
    static let rowsPerStatement = 64
    private static let columns = "INSERT OR IGNORE INTO events (user, paper, kind, at, position, list, propensity) VALUES "
    private let many: SQLiteStatement
    private let one: SQLiteStatement
    private var papers: KnownPapers
    private var arena: [UInt8] = []
    /// Per bound row: offsets of user, paper, list in `arena` (list: -1 when nil).
    private var spans: [(user: Int, userCount: Int, paper: Int, paperCount: Int, list: Int, listCount: Int)] = []

    init(_ db: Database) throws {
        let row = "(?, ?, ?, ?, ?, ?, ?)"
        many = try SQLiteStatement(db, Self.columns + Array(repeating: row, count: Self.rowsPerStatement).joined(separator: ", "))
        one = try SQLiteStatement(db, Self.columns + row)
        papers = try KnownPapers(db)
        arena.reserveCapacity(1 << 14)
    }

    static func kindText(_ k: EventKind) -> StaticString {
        switch k {
        case .impression: return "impression"
        case .read: return "read"
        case .skip: return "skip"
        case .upvote: return "upvote"
        case .save: return "save"
        }
    }

    private mutating func append(_ text: String) -> (Int, Int) {
        let start = arena.count
        var text = text
        text.withUTF8 { arena.append(contentsOf: $0) }
        return (start, arena.count - start)
    }

    /// Binds `rows` (at most `rowsPerStatement`) to `s` and runs it; returns the rows inserted.
    private mutating func run(_ s: SQLiteStatement, _ rows: [Located<Event>], _ indices: ArraySlice<Int>) throws -> Int {
        arena.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        for i in indices {
            let e = rows[i].row
            let u = append(e.user.rawValue), p = append(e.paper.rawValue)
            let l = e.list.map { append($0) } ?? (-1, 0)
            spans.append((u.0, u.1, p.0, p.1, l.0, l.1))
        }
        if arena.isEmpty { arena.append(0) }  // (empty texts only: a buffer needs a base address)
        return try arena.withUnsafeBufferPointer { buffer -> Int in
            let base = buffer.baseAddress!
            for (r, i) in indices.enumerated() {
                let e = rows[i].row, span = spans[r]
                let at = Int32(7 * r)
                s.bindStatic(at + 1, base + span.user, count: span.userCount)
                s.bindStatic(at + 2, base + span.paper, count: span.paperCount)
                s.bindStatic(at + 3, Self.kindText(e.kind))
                s.bind(at + 4, Store.millis(e.at))
                s.bind(at + 5, e.position)
                if span.list >= 0 { s.bindStatic(at + 6, base + span.list, count: span.listCount) } else { s.bind(at + 6, nil as String?) }
                s.bind(at + 7, e.propensity)
            }
            return try s.run()
        }
    }

    mutating func apply(_ rows: [Located<Event>], into summary: inout IngestSummary) throws {
        var known: [Int] = [], orphans: [Int] = []
        known.reserveCapacity(rows.count)
        for (i, located) in rows.enumerated() {
            if try papers.contains(located.row.paper.rawValue) { known.append(i) } else { orphans.append(i) }
        }
        for (group, areOrphans) in [(known, false), (orphans, true)] {
            let n = Self.rowsPerStatement
            var k = 0
            while k < group.count {
                let take = group.count - k >= n ? n : 1
                let inserted = try run(take == n ? many : one, rows, group[k..<(k + take)])
                summary.accepted += inserted
                summary.duplicate += take - inserted
                if areOrphans { summary.orphan += inserted }
                k += take
            }
        }
    }
}
