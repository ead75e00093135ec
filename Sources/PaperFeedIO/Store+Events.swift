import Foundation
import GRDB
import PaperFeedCore

extension Store {
    /// Inserts events in ONE transaction, de-duplicated by (user, paper, kind, at): a repeat is
    /// a *duplicate* and changes nothing. An event for a paper not in the store is kept and
    /// counted as *orphan* (its paper may be ingested later; `stats` keeps counting it).
    func applyEvents(_ rows: [Located<Event>], into summary: inout IngestSummary) throws {
        try write { db in
            let known = try paperIDs(db)
            let insert = try db.makeStatement(
                sql: """
                    INSERT OR IGNORE INTO events (user, paper, kind, at, position, list, propensity)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for located in rows {
                let e = located.row
                try insert.execute(arguments: [
                    e.user.rawValue, e.paper.rawValue, e.kind.rawValue, Store.millis(e.at), e.position, e.list, e.propensity,
                ])
                if db.changesCount == 0 {
                    summary.duplicate += 1
                } else {
                    summary.accepted += 1
                    if !known.contains(e.paper.rawValue) { summary.orphan += 1 }
                }
            }
        }
    }

    /// Inserts upvote observations in ONE transaction, keyed by (paper, observed_at): a new key is
    /// *accepted*, the same key with another count *updates* it, the same count is a *duplicate*.
    /// Observations of papers not in the store are kept and counted as *orphan*. `source` is
    /// stored with each new or updated row (nil: ingested; `simulate…`: synthetic).
    func applyObservations(_ rows: [Located<UpvoteObservation>], source: String? = nil, into summary: inout IngestSummary) throws {
        try write { db in
            let known = try paperIDs(db)
            let find = try db.makeStatement(sql: "SELECT upvotes FROM upvote_observations WHERE paper = ? AND observed_at = ?")
            let upsert = try db.makeStatement(
                sql: """
                    INSERT INTO upvote_observations (paper, observed_at, upvotes, source) VALUES (?, ?, ?, ?)
                    ON CONFLICT(paper, observed_at) DO UPDATE SET upvotes = excluded.upvotes, source = excluded.source
                    """)
            for located in rows {
                let o = located.row
                let key: StatementArguments = [o.paper.rawValue, Store.millis(o.observedAt)]
                if let old = try Int.fetchOne(find, arguments: key) {
                    if old == o.upvotes {
                        summary.duplicate += 1
                        continue
                    }
                    summary.updated += 1
                } else {
                    summary.accepted += 1
                    if !known.contains(o.paper.rawValue) { summary.orphan += 1 }
                }
                try upsert.execute(arguments: key + [o.upvotes, source])
            }
        }
    }

    func paperIDs(_ db: Database) throws -> Set<String> {
        var ids = Set<String>()
        let cursor = try String.fetchCursor(db, sql: "SELECT id FROM papers")
        while let id = try cursor.next() { ids.insert(id) }
        return ids
    }

    /// Events, ordered by (at, user, paper, kind); optionally only those with `at` in `range`.
    public func events(in range: Range<Date>? = nil) throws -> [Event] {
        try read { db in
            var sql = "SELECT user, paper, kind, at, position, list, propensity FROM events"
            var args: StatementArguments = []
            if let r = range {
                sql += " WHERE at >= ? AND at < ?"
                args = [Store.millis(r.lowerBound), Store.millis(r.upperBound)]
            }
            sql += " ORDER BY at, user, paper, kind"
            var out: [Event] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
            while let row = try cursor.next() {
                guard let kind = EventKind(rawValue: row[2]) else { continue }
                out.append(
                    Event(
                        user: UserID(row[0] as String), paper: PaperID(row[1] as String), kind: kind,
                        at: Store.date(row[3]), position: row[4], list: row[5], propensity: row[6]))
            }
            return out
        }
    }

    /// Upvote observations ordered by (paper, observed_at), optionally only those before `date`;
    /// `ingestedOnly` leaves out the synthetic ones stored by `paperfeed simulate`.
    public func upvoteObservations(before date: Date? = nil, ingestedOnly: Bool = false) throws -> [UpvoteObservation] {
        try read { db in
            var conditions: [String] = []
            if date != nil { conditions.append("observed_at < ?") }
            if ingestedOnly { conditions.append("(source IS NULL OR source NOT LIKE 'simulate%')") }
            let sql = "SELECT paper, observed_at, upvotes FROM upvote_observations"
                + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + " ORDER BY paper, observed_at"
            let args: StatementArguments = date.map { [Store.millis($0)] } ?? []
            return try Row.fetchAll(db, sql: sql, arguments: args).map {
                UpvoteObservation(paper: PaperID($0[0] as String), observedAt: Store.date($0[1]), upvotes: $0[2])
            }
        }
    }
}
