import Foundation

extension Store {
    /// Opens the database at `path` for a command that must not create one (everything but
    /// `ingest` and `nightly`): a missing path is an error naming it, so a mistyped `--db`
    /// never leaves an empty database behind. The schema is migrated as by `init(path:)`.
    public static func openExisting(path: String) throws -> Store {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw IOError.database(path, reason: "no such database; check --db (or $PAPERFEED_DB), or create it with "
                + "paperfeed ingest papers FILE --db \(path)")
        }
        if isDirectory.boolValue { throw IOError.isDirectory(path) }
        return try Store(path: path)
    }
}
