import Foundation
import GRDB

/// Two guards between `--db` and a write (issue 15):
///
/// - **Identity.** A file that is not SQLite, or an SQLite database with tables but without
///   PaperFeed's migration history (`grdb_migrations` holding `v1-papers-events-upvotes`), is
///   refused before anything is written (`IOError.notAStore`): pointing `--db` at another
///   application's database used to add our tables to it. An empty file or an SQLite database
///   without tables becomes a new store.
/// - **Integrity.** Before the first write of a `Store` (and before migrating an existing file)
///   `PRAGMA quick_check` must answer `ok`; otherwise nothing is written and the error quotes
///   SQLite's first findings. quick_check reads every page once (O(file size); about a second per
///   few hundred MB), so it runs once per `Store`, not per transaction. Read-only commands never
///   pay for it.
extension Store {
    /// The migration every PaperFeed store has (the first one).
    static let firstMigration = "v1-papers-events-upvotes"

    /// Whether the check has passed for this `Store` (guarded by a lock: `Store` is shared).
    final class IntegrityState: @unchecked Sendable {
        private let lock = NSLock()
        private var passed = false
        func runOnce(_ check: () throws -> Void) throws {
            lock.lock()
            defer { lock.unlock() }
            guard !passed else { return }
            try check()
            passed = true
        }
    }

    /// Refuses a file that is not SQLite (by its 16-byte header), before SQLite opens it.
    static func checkHeader(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        guard !head.isEmpty else { return }  // an empty file becomes a new store
        guard head == Data("SQLite format 3\u{0}".utf8) else {
            throw IOError.notAStore(
                path, reason: "not an SQLite database (it does not start with \"SQLite format 3\"); pass --db a PaperFeed store or a new file")
        }
    }

    /// Refuses an SQLite database of another application; runs quick_check before migrating an
    /// existing store. Called by `init` between opening and migrating.
    static func checkIdentity(_ queue: DatabaseQueue, path: String) throws {
        let (tables, hasFirst) = try queue.read { db -> ([String], Bool) in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            guard tables.contains("grdb_migrations") else { return (tables, false) }
            let found = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM grdb_migrations WHERE identifier = ?)", arguments: [firstMigration]) ?? false
            return (tables, found)
        }
        if tables.isEmpty { return }
        guard hasFirst else {
            let shown = tables.prefix(8).joined(separator: ", ") + (tables.count > 8 ? ", …" : "")
            throw IOError.notAStore(
                path, reason: "an SQLite database that is not a PaperFeed store (its tables: \(shown)); nothing was changed. "
                    + "Pass --db a PaperFeed store or a new file")
        }
        let migrated = try queue.read { db in try Store.migrator.hasCompletedMigrations(db) }
        if !migrated { try quickCheck(queue, path: path) }
    }

    /// `PRAGMA quick_check`; throws `IOError.notAStore` unless it answers `ok`.
    static func quickCheck(_ queue: DatabaseQueue, path: String) throws {
        let findings: [String]
        do {
            findings = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(20)") }
        } catch let error as DatabaseError {
            throw IOError.notAStore(path, reason: "failed its integrity check (\(error.message ?? error.description)); nothing was written. "
                + "Restore a backup, or ingest into a new --db file")
        }
        guard findings != ["ok"] else { return }
        throw IOError.notAStore(
            path, reason: "failed its integrity check (PRAGMA quick_check: \(findings.prefix(3).joined(separator: "; "))); nothing was written. "
                + "Restore a backup, or ingest into a new --db file")
    }

    /// Runs `quickCheck` before this store's first write (see the type's comment).
    func checkBeforeFirstWrite() throws {
        try integrity.runOnce { try Store.quickCheck(queue, path: path) }
    }
}
