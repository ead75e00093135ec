import GRDB

extension Store {
    /// v4: the schema of streaming ingest.
    ///
    /// - `events` is keyed by `(at, user, paper, kind)` instead of `(user, paper, kind, at)`:
    ///   the same de-duplication key (a set of columns), but ordered by time. A feed's log
    ///   arrives in time order, so new events are appended at the right edge of the B-tree
    ///   (each chunk transaction dirties a few pages instead of one page per reader), and the
    ///   as-of query (`at < ? ORDER BY at, user, paper, kind`) is a range scan of the primary
    ///   key with no sort. `events_at` became redundant (it was that key) and `events_paper`
    ///   served no query, so both go: every index is paid for on each insert.
    /// - `ingest_files`: where each file's ingest stands, written in the same transaction as
    ///   each chunk it applies (see `IngestCheckpoint`), so that a rerun after a kill resumes
    ///   after the last committed chunk.
    static func registerIngestMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("v4-events-by-time-ingest-files") { db in
            try db.execute(
                sql: """
                    CREATE TABLE events_by_time (
                      user TEXT NOT NULL,
                      paper TEXT NOT NULL,
                      kind TEXT NOT NULL CHECK (kind IN ('impression','read','skip','upvote','save')),
                      at INTEGER NOT NULL,
                      position INTEGER CHECK (position IS NULL OR position >= 1),
                      list TEXT,
                      propensity REAL,
                      PRIMARY KEY (at, user, paper, kind)
                    ) WITHOUT ROWID;
                    INSERT INTO events_by_time (user, paper, kind, at, position, list, propensity)
                      SELECT user, paper, kind, at, position, list, propensity FROM events ORDER BY at, user, paper, kind;
                    DROP TABLE events;
                    ALTER TABLE events_by_time RENAME TO events;
                    CREATE TABLE ingest_files (
                      kind TEXT NOT NULL,                 -- papers | events | upvotes
                      path TEXT NOT NULL,                 -- absolute, standardized
                      status TEXT NOT NULL CHECK (status IN ('partial','complete')),
                      bytes INTEGER NOT NULL,             -- bytes of the (inflated) file applied: a record boundary
                      lines INTEGER NOT NULL,             -- lines applied
                      fingerprint TEXT NOT NULL,          -- of those bytes (InputFingerprint)
                      accepted INTEGER NOT NULL,          -- the file's summary so far
                      updated INTEGER NOT NULL,
                      duplicate INTEGER NOT NULL,
                      orphan INTEGER NOT NULL,
                      PRIMARY KEY (kind, path)
                    ) WITHOUT ROWID;
                    """)
        }
    }
}
