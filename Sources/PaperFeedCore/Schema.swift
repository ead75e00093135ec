/// The version of PaperFeed's JSON outputs and configuration files (docs/outputs.md): every
/// `--json` output, report.json, tuning.json, lists and exports carry `"schema_version"`, and
/// configuration files may (a file with another version is refused). Bump it when a key is
/// renamed or removed or its meaning changes; adding a key keeps the version.
public enum Schema {
    public static let version = 1
}

/// A value whose JSON already carries `schema_version` (the CLI does not add it again).
public protocol SchemaVersioned {
    var schemaVersion: Int { get }
}
