import Foundation
import GRDB
import PaperFeedCore

extension Store {
    /// Inserts events in ONE transaction, de-duplicated by (user, paper, kind, at): a repeat is
    /// a *duplicate* and changes nothing. An event for a paper not in the store is kept and
    /// counted as *orphan* (its paper may be ingested later; `stats` keeps counting it).
    /// (`ingest` applies a file chunk by chunk through `applyChunk`, with the same rules.)
    func applyEvents(_ rows: [Located<Event>], into summary: inout IngestSummary) throws {
        try write { db in try applyRows(db, .events(rows), into: &summary) }
    }

    /// Inserts upvote observations in ONE transaction, keyed by (paper, observed_at): a new key is
    /// *accepted*, the same key with another count *updates* it, the same count is a *duplicate*.
    /// Observations of papers not in the store are kept and counted as *orphan*. `source` is
    /// stored with each new or updated row (nil: ingested; `simulate…`: synthetic).
    func applyObservations(_ rows: [Located<UpvoteObservation>], source: String? = nil, into summary: inout IngestSummary) throws {
        try write { db in try applyRows(db, .observations(rows, source: source), into: &summary) }
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
