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
    /// - `papers` becomes an ordinary rowid table (same columns, `id` still the primary key): a
    ///   WITHOUT ROWID row keeps at most about 1 KB in its B-tree page and chains the rest of an
    ///   abstract into overflow pages, which made the file 4.6 KB per arXiv paper (2.6× its
    ///   text) and every ingest write it twice; a rowid table stores the row whole.
    /// - `ingest_files`: where each file's ingest stands, written in the same transaction as
    ///   each chunk it applies (see `IngestCheckpoint`), so that a rerun after a kill resumes
    ///   after the last committed chunk.
    static func registerIngestMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("v4-streaming-ingest") { db in
            try db.execute(
                sql: """
                    CREATE TABLE events_by_time (
                      user TEXT NOT NULL,
                      paper TEXT NOT NULL,
                      -- (= … OR …, not IN (…): an IN list costs a temporary B-tree per statement)
                      kind TEXT NOT NULL CHECK (kind = 'impression' OR kind = 'read' OR kind = 'skip'
                                                OR kind = 'upvote' OR kind = 'save'),
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
                    CREATE TABLE papers_rowid (
                      id TEXT PRIMARY KEY NOT NULL,
                      title TEXT NOT NULL,
                      abstract TEXT NOT NULL,
                      authors TEXT NOT NULL,            -- JSON array
                      published_at INTEGER,             -- ms since epoch, UTC; NULL = unknown
                      upvotes INTEGER,                  -- NULL = unknown
                      categories TEXT NOT NULL,         -- JSON array
                      organization TEXT,
                      source TEXT NOT NULL,
                      content_hash TEXT NOT NULL,       -- of the stored (merged) record
                      input_hash TEXT NOT NULL          -- of the last ingested record, before merging
                    );
                    INSERT INTO papers_rowid SELECT id, title, abstract, authors, published_at, upvotes, categories,
                      organization, source, content_hash, input_hash FROM papers ORDER BY id;
                    DROP TABLE papers;
                    ALTER TABLE papers_rowid RENAME TO papers;
                    CREATE INDEX papers_published ON papers(published_at);
                    -- covering index: ingest reads (id, hashes) of every paper without the texts
                    CREATE INDEX papers_hashes ON papers(id, content_hash, input_hash);
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
