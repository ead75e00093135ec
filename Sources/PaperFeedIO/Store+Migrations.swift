import GRDB

extension Store {
    /// Migrations added by later stages (model runs, ranked lists). Kept apart from v1 so the
    /// history of the schema reads in order.
    static func laterMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("v2-rank-runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE rank_runs (
                      id TEXT PRIMARY KEY NOT NULL,       -- deterministic: hash of inputs and config
                      as_of INTEGER NOT NULL,
                      k INTEGER NOT NULL,
                      config TEXT NOT NULL,              -- JSON
                      shard TEXT,                        -- "I/N" or NULL
                      status TEXT NOT NULL CHECK (status IN ('running','complete')),
                      readers INTEGER NOT NULL DEFAULT 0,
                      started_at INTEGER NOT NULL,
                      finished_at INTEGER
                    );
                    CREATE TABLE ranked_items (
                      run TEXT NOT NULL REFERENCES rank_runs(id),
                      user TEXT NOT NULL,
                      rank INTEGER NOT NULL,
                      paper TEXT NOT NULL,
                      score REAL NOT NULL,
                      signals TEXT NOT NULL,             -- JSON object signal -> contribution
                      PRIMARY KEY (run, user, rank)
                    ) WITHOUT ROWID;
                    CREATE TABLE ranked_users (
                      run TEXT NOT NULL REFERENCES rank_runs(id),
                      user TEXT NOT NULL,
                      PRIMARY KEY (run, user)
                    ) WITHOUT ROWID;
                    """)
        }
        // Where an observation came from: NULL = ingested; "simulate(seed N)" = `paperfeed simulate`.
        m.registerMigration("v3-observation-source") { db in
            try db.execute(sql: "ALTER TABLE upvote_observations ADD COLUMN source TEXT")
        }
        Store.registerIngestMigrations(&m)
        // The nightly job's inbox checksums, step records and history (Store+Nightly.swift).
        Store.nightlyMigrations(&m)
    }
}
