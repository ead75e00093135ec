import Foundation
import GRDB
import PaperFeedCore

/// One published night of `paperfeed nightly`, as the history table holds it: what was
/// published and how the PREVIOUS published run did against the events logged since it
/// (nil on the first night). Every value is deterministic for the same inputs.
public struct NightlyHistoryRow: Sendable, Codable, Equatable {
    public var night: String
    public var asOf: String
    public var run: String
    public var readers: Int
    public var candidates: Int
    public var newPapers: Int
    public var foldedIn: Int
    public var refit: Bool
    /// The previous night's run that was evaluated, the readers active since it, and its
    /// CTR@k, nDCG@10 by logged reads and catalog coverage (docs/outputs.md "nightly").
    public var evaluatedRun: String?
    public var evaluatedReaders: Int
    public var ctrAtK: Double?
    public var ndcgAt10: Double?
    public var coverage: Double?
    public var published: String

    public init(night: String, asOf: String, run: String, readers: Int, candidates: Int, newPapers: Int, foldedIn: Int, refit: Bool,
                evaluatedRun: String?, evaluatedReaders: Int, ctrAtK: Double?, ndcgAt10: Double?, coverage: Double?, published: String) {
        self.night = night
        self.asOf = asOf
        self.run = run
        self.readers = readers
        self.candidates = candidates
        self.newPapers = newPapers
        self.foldedIn = foldedIn
        self.refit = refit
        self.evaluatedRun = evaluatedRun
        self.evaluatedReaders = evaluatedReaders
        self.ctrAtK = ctrAtK
        self.ndcgAt10 = ndcgAt10
        self.coverage = coverage
        self.published = published
    }
}

extension Store {
    /// v4: the nightly job's tables: inbox files already ingested (by SHA-256), the recorded
    /// outcome of each night's steps (so a rerun after a kill repeats none of them differently),
    /// and the history of published nights.
    static func nightlyMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("v4-nightly") { db in
            try db.execute(
                sql: """
                    CREATE TABLE inbox_files (
                      sha256 TEXT PRIMARY KEY NOT NULL,
                      name TEXT NOT NULL,
                      kind TEXT NOT NULL,
                      night TEXT NOT NULL,
                      accepted INTEGER NOT NULL,
                      rejected INTEGER NOT NULL
                    );
                    CREATE TABLE nightly_steps (
                      night TEXT NOT NULL,
                      step TEXT NOT NULL,
                      result TEXT NOT NULL,             -- JSON
                      PRIMARY KEY (night, step)
                    ) WITHOUT ROWID;
                    CREATE TABLE nightly_history (
                      night TEXT PRIMARY KEY NOT NULL,  -- YYYY-MM-DD of the as-of time
                      row TEXT NOT NULL                 -- JSON (NightlyHistoryRow)
                    );
                    """)
        }
    }

    /// Whether an inbox file with this SHA-256 was ingested already.
    public func inboxFileIngested(sha256: String) throws -> Bool {
        try read { db in try Int.fetchOne(db, sql: "SELECT 1 FROM inbox_files WHERE sha256 = ?", arguments: [sha256]) != nil }
    }

    public func recordInboxFile(sha256: String, name: String, kind: String, night: String, accepted: Int, rejected: Int) throws {
        try write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO inbox_files (sha256, name, kind, night, accepted, rejected) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [sha256, name, kind, night, accepted, rejected])
        }
    }

    /// The recorded result (JSON) of a night's step, nil when the step has not finished.
    public func nightStep(_ night: String, _ step: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT result FROM nightly_steps WHERE night = ? AND step = ?", arguments: [night, step]) }
    }

    public func recordNightStep(_ night: String, _ step: String, result: String) throws {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO nightly_steps (night, step, result) VALUES (?, ?, ?)", arguments: [night, step, result])
        }
    }

    /// Published nights, oldest first.
    public func nightlyHistory() throws -> [NightlyHistoryRow] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT row FROM nightly_history ORDER BY night").map {
                try JSONDecoder().decode(NightlyHistoryRow.self, from: Data($0.utf8))
            }
        }
    }

    /// Records a published night (replacing a row of the same night: a rerun never duplicates)
    /// and drops the night's step records, in one transaction.
    public func recordPublishedNight(_ row: NightlyHistoryRow) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let text = String(decoding: try e.encode(row), as: UTF8.self)
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO nightly_history (night, row) VALUES (?, ?)", arguments: [row.night, text])
        }
    }
}
