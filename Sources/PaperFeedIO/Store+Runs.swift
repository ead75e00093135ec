import Foundation
import GRDB
import PaperFeedCore

/// A batch re-ranking run as stored.
public struct RankRunInfo: Sendable, Codable, Equatable {
    public var id: String
    public var asOf: Date
    public var k: Int
    public var shard: String?
    public var complete: Bool
    public var readers: Int
}

extension Store {
    /// Starts (or resumes) the run `id`. Returns the readers already stored for it, so a rerun
    /// after a crash skips them. A run that is already complete returns every reader.
    public func beginRun(id: String, asOf: Date, k: Int, configuration: String, shard: String?, startedAt: Date) throws -> Set<UserID> {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO rank_runs (id, as_of, k, config, shard, status, started_at)
                    VALUES (?, ?, ?, ?, ?, 'running', ?) ON CONFLICT(id) DO NOTHING
                    """, arguments: [id, Store.millis(asOf), k, configuration, shard, Store.millis(startedAt)])
            let done: [String] = try String.fetchAll(db, sql: "SELECT user FROM ranked_users WHERE run = ?", arguments: [id])
            return Set(done.map { UserID($0) })
        }
    }

    /// Stores the lists of a block of readers in ONE transaction: either all of the block is
    /// there after a crash, or none of it.
    public func storeLists(run: String, _ lists: [RankedList]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try write { db in
            let item = try db.makeStatement(
                sql: "INSERT OR REPLACE INTO ranked_items (run, user, rank, paper, score, signals) VALUES (?, ?, ?, ?, ?, ?)")
            let user = try db.makeStatement(sql: "INSERT OR IGNORE INTO ranked_users (run, user) VALUES (?, ?)")
            for list in lists {
                for (r, it) in list.items.enumerated() {
                    let signals = String(decoding: try encoder.encode(it.signals), as: UTF8.self)
                    try item.execute(arguments: [run, list.user.rawValue, r + 1, it.paper.rawValue, it.score, signals])
                }
                try user.execute(arguments: [run, list.user.rawValue])
            }
        }
    }

    /// Marks the run complete: only now do readers of results (`lists(run:)`, `latestRun`) see it.
    public func completeRun(id: String, finishedAt: Date) throws {
        try write { db in
            let readers = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ranked_users WHERE run = ?", arguments: [id]) ?? 0
            try db.execute(
                sql: "UPDATE rank_runs SET status = 'complete', readers = ?, finished_at = ? WHERE id = ?",
                arguments: [readers, Store.millis(finishedAt), id])
        }
    }

    public func run(id: String) throws -> RankRunInfo? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM rank_runs WHERE id = ?", arguments: [id]).map(Store.runInfo)
        }
    }

    /// The most recently finished complete run.
    public func latestCompleteRun() throws -> RankRunInfo? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM rank_runs WHERE status = 'complete' ORDER BY finished_at DESC, id LIMIT 1")
                .map(Store.runInfo)
        }
    }

    static func runInfo(_ row: Row) -> RankRunInfo {
        RankRunInfo(id: row["id"], asOf: date(row["as_of"]), k: row["k"], shard: row["shard"],
                    complete: (row["status"] as String) == "complete", readers: row["readers"])
    }

    /// The lists of a COMPLETE run, readers in id order, items by rank. An incomplete run
    /// returns nil: half a run is never visible.
    public func lists(run id: String, users: Set<UserID>? = nil) throws -> [RankedList]? {
        try read { db in
            guard try String.fetchOne(db, sql: "SELECT status FROM rank_runs WHERE id = ?", arguments: [id]) == "complete" else {
                return nil
            }
            var out: [RankedList] = []
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT user, paper, score, signals FROM ranked_items WHERE run = ? ORDER BY user, rank", arguments: [id])
            while let row = try cursor.next() {
                let user = UserID(row[0] as String)
                if let users, !users.contains(user) { continue }
                let signals = (try? JSONDecoder().decode([String: Double].self, from: Data((row[3] as String).utf8))) ?? [:]
                let item = RankedItem(paper: PaperID(row[1] as String), score: row[2], signals: signals)
                if out.last?.user == user { out[out.count - 1].items.append(item) } else { out.append(RankedList(user: user, items: [item])) }
            }
            return out
        }
    }
}
