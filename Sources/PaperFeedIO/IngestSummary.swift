/// What ingesting one file did. `--json` prints an array of these (one per file) plus totals.
///
/// - accepted: new rows stored.
/// - updated: rows that replaced a stored row with different content (papers by id,
///   observations by (paper, observed_at)).
/// - duplicate: rows identical to what was already stored (or repeated in the file): no change.
/// - orphan: events or observations for a paper that is not in the store; they are kept.
/// - rejected: bad rows, each reported as `FILE:LINE: field: reason` and written to the rejects file.
public struct IngestSummary: Sendable, Codable, Equatable {
    public var file: String
    public var kind: String
    public var accepted = 0
    public var updated = 0
    public var duplicate = 0
    public var orphan = 0
    public var rejected = 0
    /// Path of the rejects file, when rows were rejected.
    public var rejectsFile: String?
    public var seconds = 0.0

    public init(file: String, kind: String) {
        self.file = file
        self.kind = kind
    }

    public static func total(_ parts: [IngestSummary]) -> IngestSummary {
        var t = IngestSummary(file: "(total)", kind: parts.first?.kind ?? "")
        for p in parts {
            t.accepted += p.accepted
            t.updated += p.updated
            t.duplicate += p.duplicate
            t.orphan += p.orphan
            t.rejected += p.rejected
            t.seconds += p.seconds
        }
        return t
    }
}
