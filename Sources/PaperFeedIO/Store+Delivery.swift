import Foundation
import GRDB
import PaperFeedCore

/// Reading stored runs back for delivery (`paperfeed lists`, `paperfeed export`, the nightly's
/// publish step) and pruning old ones. Lists are read reader by reader from a cursor, so
/// memory does not grow with the number of readers.
extension Store {
    /// A run by id, or the latest complete one for `"latest"`; nil when there is none.
    public func resolveRun(_ reference: String) throws -> RankRunInfo? {
        reference == "latest" ? try latestCompleteRun() : try run(id: reference)
    }

    /// Complete runs, newest first (by finish time, then id).
    public func completeRuns() throws -> [RankRunInfo] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rank_runs WHERE status = 'complete' ORDER BY finished_at DESC, id")
                .map(Store.runInfo)
        }
    }

    /// Calls `body` with each reader's list of the complete run `id`, readers in byte order,
    /// items by rank; only the readers in `users` when given. Returns false (and calls nothing)
    /// when the run is not complete. Readers are read in pages of `page` (keyset pagination on
    /// the run's readers), so memory holds one page of lists whatever the number of readers, and
    /// `body` runs outside any database access (it may query the store).
    @discardableResult
    public func forEachList(run id: String, users: Set<UserID>? = nil, page: Int = 500,
                            _ body: (RankedList) throws -> Void) throws -> Bool {
        guard try read({ db in
            try String.fetchOne(db, sql: "SELECT status FROM rank_runs WHERE id = ?", arguments: [id])
        }) == "complete" else { return false }
        let decoder = JSONDecoder()
        // The readers to visit, in byte order (SQLite compares TEXT by bytes too).
        let wanted = users.map { $0.map(\.rawValue).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        var after = "", offset = 0
        while true {
            let (readers, lists): ([String], [RankedList]) = try read { db in
                let readers: [String]
                if let wanted {
                    readers = Array(wanted[offset..<min(offset + page, wanted.count)])
                } else {
                    readers = try String.fetchAll(
                        db, sql: "SELECT user FROM ranked_users WHERE run = ? AND user > ? ORDER BY user LIMIT ?",
                        arguments: [id, after, page])
                }
                var out: [RankedList] = []
                for user in readers {
                    let rows = try Row.fetchAll(
                        db, sql: "SELECT paper, score, signals FROM ranked_items WHERE run = ? AND user = ? ORDER BY rank",
                        arguments: [id, user])
                    guard !rows.isEmpty else { continue }
                    out.append(RankedList(user: UserID(user), items: rows.map { row in
                        let signals = (try? decoder.decode([String: Double].self, from: Data((row[2] as String).utf8))) ?? [:]
                        return RankedItem(paper: PaperID(row[0] as String), score: row[1], signals: signals)
                    }))
                }
                return (readers, out)
            }
            if readers.isEmpty { break }
            after = readers.last!
            offset += readers.count
            for list in lists { try body(list) }
        }
        return true
    }

    /// Titles, authors and dates of `ids` (those in the store), for rendering lists.
    public func paperSummaries(_ ids: [PaperID]) throws -> [PaperID: ListedPaper] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var out: [PaperID: ListedPaper] = [:]
            let decoder = JSONDecoder()
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db, sql: "SELECT id, title, authors, published_at FROM papers WHERE id IN (\(marks))",
                    arguments: StatementArguments(chunk.map(\.rawValue)))
                for row in rows {
                    let id = PaperID(row[0] as String)
                    let authors = (try? decoder.decode([String].self, from: Data((row[2] as String).utf8))) ?? []
                    let published = (row[3] as Int64?).map(Store.date)
                    out[id] = ListedPaper(id: id, title: row[1], authors: authors, publishedAt: published)
                }
            }
            return out
        }
    }

    /// Deletes every complete run but the newest `keep` (by finish time) and their lists; runs
    /// still in progress are kept. Returns the ids deleted, in one transaction.
    @discardableResult
    public func pruneRuns(keep: Int) throws -> [String] {
        try write { db in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM rank_runs WHERE status = 'complete' ORDER BY finished_at DESC, id LIMIT -1 OFFSET ?",
                arguments: [max(0, keep)])
            for id in ids {
                try db.execute(sql: "DELETE FROM ranked_items WHERE run = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM ranked_users WHERE run = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM rank_runs WHERE id = ?", arguments: [id])
            }
            return ids
        }
    }
}

/// What a delivered list shows of a paper.
public struct ListedPaper: Sendable, Hashable {
    public var id: PaperID
    public var title: String
    public var authors: [String]
    public var publishedAt: Date?
}
