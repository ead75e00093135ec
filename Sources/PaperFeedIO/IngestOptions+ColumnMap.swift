/// `--map FIELD=COLUMN` (`ParseOptions.columnMap`): which canonical fields can be mapped, and
/// the check that a mapping names one of them and a non-empty column. Without it a typo
/// (`--map foo=bar`) did nothing, silently.
extension IngestOptions {
    /// The canonical fields of `kind` that `--map` can point at another column (or JSON member).
    public static func mappableFields(_ kind: IngestKind) -> [String] {
        switch kind {
        case .papers:
            var fields = ["id"] + PaperParser.recordFields
            for f in PaperParser.arxivFields where !fields.contains(f) { fields.append(f) }
            return fields
        case .events: return EventParser.fields + EventParser.optionalFields
        case .upvotes: return UpvoteParser.fields
        case .corpus: return []
        }
    }

    /// Throws `IOError.badColumnMap` when a key is not a field of `kind` or a column name is empty.
    public static func checkColumnMap(_ map: [String: String], kind: IngestKind) throws {
        let known = mappableFields(kind)
        for (field, column) in map.sorted(by: { $0.key < $1.key }) {
            guard known.contains(field) else {
                let list = known.isEmpty ? "none (a corpus has no columns)" : known.joined(separator: ", ")
                throw IOError.badColumnMap("--map \(field)=\(column): \(kind.rawValue) have no field `\(field)`; fields: \(list)")
            }
            guard !column.isEmpty else {
                throw IOError.badColumnMap("--map \(field)=: name the column, e.g. --map \(field)=\(field)_column")
            }
        }
    }
}
