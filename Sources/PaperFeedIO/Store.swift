import Foundation
import GRDB
import PaperFeedCore

/// The PaperFeed database: one SQLite file (WAL mode) holding papers, upvote observations,
/// user events, bag-of-words corpora and, from later stages, model runs and ranked lists.
///
/// Default location: `Data/paperfeed.sqlite` under the current directory, or `$PAPERFEED_DB`
/// (see `Store.defaultPath`). Times are stored as INTEGER milliseconds since 1970-01-01 UTC.
/// Lists (authors, categories) are stored as JSON arrays of strings.
public final class Store: @unchecked Sendable {
    public let path: String
    let queue: DatabaseQueue
    /// quick_check before the first write (Store+Integrity.swift).
    let integrity = IntegrityState()

    /// `$PAPERFEED_DB` if set, else `Data/paperfeed.sqlite`.
    public static var defaultPath: String {
        ProcessInfo.processInfo.environment["PAPERFEED_DB"] ?? "Data/paperfeed.sqlite"
    }

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        // WAL is persistent in the file: set it when creating the database only. (Asking GRDB
        // for WAL on an existing file makes it create and drop a table, which would change the
        // file even for a read-only command or a refused --strict ingest.)
        config.journalMode = FileManager.default.fileExists(atPath: path) ? .default : .wal
        config.busyMode = .timeout(10)
        config.label = "paperfeed"
        let trace = ProcessInfo.processInfo.environment["PAPERFEED_TRACE_SQL"] != nil
        config.prepareDatabase { db in
            // 64 MiB page cache: a bulk ingest touches every page of the papers table.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // WAL + NORMAL: a commit appends to the WAL without an fsync (the checkpoint syncs).
            // A killed process loses nothing committed; a power cut may lose the last commits but
            // never corrupts the file, and ingest's progress records roll back with their rows.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if trace { db.trace { FileHandle.standardError.write(Data("SQL: \($0)\n".utf8)) } }
        }
        let url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw IOError.isDirectory(path)
        }
        let dir = url.deletingLastPathComponent().path
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw IOError.database(path, reason: "cannot create folder \(dir): \(error.localizedDescription)")
            }
        }
        try Store.checkHeader(path: path)
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try Store.checkIdentity(queue, path: path)
            try Store.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw IOError.database(path, reason: "\(error.message ?? error.description); is it a PaperFeed database?")
        }
    }

    /// Schema migrations, in order. Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-papers-events-upvotes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE papers (
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
                    ) WITHOUT ROWID;
                    CREATE INDEX papers_published ON papers(published_at);
                    -- covering index: ingest reads (id, hashes) of every paper without the texts
                    CREATE INDEX papers_hashes ON papers(id, content_hash, input_hash);
                    CREATE TABLE upvote_observations (
                      paper TEXT NOT NULL,
                      observed_at INTEGER NOT NULL,
                      upvotes INTEGER NOT NULL,
                      PRIMARY KEY (paper, observed_at)
                    ) WITHOUT ROWID;
                    CREATE TABLE events (
                      user TEXT NOT NULL,
                      paper TEXT NOT NULL,
                      kind TEXT NOT NULL CHECK (kind IN ('impression','read','skip','upvote','save')),
                      at INTEGER NOT NULL,
                      position INTEGER CHECK (position IS NULL OR position >= 1),
                      list TEXT,
                      propensity REAL,
                      PRIMARY KEY (user, paper, kind, at)
                    ) WITHOUT ROWID;
                    CREATE INDEX events_at ON events(at);
                    CREATE INDEX events_paper ON events(paper);
                    CREATE TABLE corpora (
                      name TEXT PRIMARY KEY NOT NULL,
                      vocabulary_size INTEGER NOT NULL,
                      vocabulary_sha256 TEXT NOT NULL
                    );
                    CREATE TABLE corpus_vocabulary (
                      corpus TEXT NOT NULL REFERENCES corpora(name),
                      term_id INTEGER NOT NULL,
                      term TEXT NOT NULL,
                      PRIMARY KEY (corpus, term_id)
                    ) WITHOUT ROWID;
                    -- term ids and counts as little-endian Int32 pairs (id, count), ids ascending
                    CREATE TABLE corpus_documents (
                      corpus TEXT NOT NULL REFERENCES corpora(name),
                      paper TEXT NOT NULL,
                      terms BLOB NOT NULL,
                      PRIMARY KEY (corpus, paper)
                    ) WITHOUT ROWID;
                    CREATE TABLE libraries (
                      corpus TEXT NOT NULL,
                      user TEXT NOT NULL,
                      paper TEXT NOT NULL,
                      PRIMARY KEY (corpus, user, paper)
                    ) WITHOUT ROWID;
                    """)
        }
        Store.laterMigrations(&m)
        return m
    }

    /// Runs `body` in one write transaction (rolled back if it throws).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try checkBeforeFirstWrite()
        do {
            return try queue.write(body)
        } catch let error as DatabaseError {
            throw IOError.database(path, reason: error.message ?? error.description)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch let error as DatabaseError {
            throw IOError.database(path, reason: error.message ?? error.description)
        }
    }

    /// Checkpoints the WAL into the main file and closes the database.
    public func close() throws {
        // SQLite checkpoints and removes the WAL when the last connection closes.
        try queue.close()
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
