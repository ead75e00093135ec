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

/// Events: `INSERT OR IGNORE` of `rowsPerStatement` rows at a time. Rows whose paper is not
/// stored go one by one, so that each accepted one can be counted as an orphan; a row and its
/// repeats always take the same path, so the first one in file order is the one kept.
struct EventBatchWriter {
    /// 64 rows × 7 parameters = 448 bound values per statement (SQLite allows 32,766).
    static let rowsPerStatement = 64
    private static let columns = "INSERT OR IGNORE INTO events (user, paper, kind, at, position, list, propensity) VALUES "
    private let many: SQLiteStatement
    private let one: SQLiteStatement
    private var papers: KnownPapers

    init(_ db: Database) throws {
        let row = "(?, ?, ?, ?, ?, ?, ?)"
        many = try SQLiteStatement(db, Self.columns + Array(repeating: row, count: Self.rowsPerStatement).joined(separator: ", "))
        one = try SQLiteStatement(db, Self.columns + row)
        papers = try KnownPapers(db)
    }

    private func bind(_ s: SQLiteStatement, _ e: Event, at base: Int32) {
        s.bind(base + 1, e.user.rawValue)
        s.bind(base + 2, e.paper.rawValue)
        s.bind(base + 3, e.kind.rawValue)
        s.bind(base + 4, Store.millis(e.at))
        s.bind(base + 5, e.position)
        s.bind(base + 6, e.list)
        s.bind(base + 7, e.propensity)
    }

    mutating func apply(_ rows: [Located<Event>], into summary: inout IngestSummary) throws {
        var known: [Int] = [], orphans: [Int] = []
        known.reserveCapacity(rows.count)
        for (i, located) in rows.enumerated() {
            if try papers.contains(located.row.paper.rawValue) { known.append(i) } else { orphans.append(i) }
        }
        let n = Self.rowsPerStatement
        var k = 0
        while k + n <= known.count {
            for r in 0..<n { bind(many, rows[known[k + r]].row, at: Int32(7 * r)) }
            let inserted = try many.run()
            summary.accepted += inserted
            summary.duplicate += n - inserted
            k += n
        }
        for i in known[k...] {
            bind(one, rows[i].row, at: 0)
            if try one.run() == 1 { summary.accepted += 1 } else { summary.duplicate += 1 }
        }
        for i in orphans {
            bind(one, rows[i].row, at: 0)
            if try one.run() == 1 {
                summary.accepted += 1
                summary.orphan += 1
            } else {
                summary.duplicate += 1
            }
        }
    }
}
