import PaperFeedCore

/// Where one file's ingest stands: how much of it (a prefix ending on a record boundary) has
/// been applied, and a fingerprint of that prefix, so a rerun can tell that the file is the
/// same before it skips what is already stored.
public struct IngestCheckpoint: Sendable, Equatable {
    /// `papers`, `events` or `upvotes`.
    public var kind: String
    /// The file's absolute, standardized path (the key, with `kind`).
    public var path: String
    /// True once the last chunk is applied (committed with it).
    public var complete: Bool
    /// Bytes of the file (after gzip inflation) applied so far.
    public var bytes: Int
    /// Lines applied so far (the next chunk starts at line `lines + 1`).
    public var lines: Int
    /// `InputFingerprint` of the first `bytes` bytes.
    public var fingerprint: String
}

/// A checkpoint as stored, with the file's summary counts up to it.
public struct IngestProgress: Sendable, Equatable {
    public var checkpoint: IngestCheckpoint
    public var accepted: Int
    public var updated: Int
    public var duplicate: Int
    public var orphan: Int
}

/// The rows of one chunk.
enum IngestRows: Sendable {
    /// Papers with `Store.contentHash64` of each row (computed where the rows are parsed, in parallel).
    case papers([Located<Paper>], hashes: [UInt64])
    case events([Located<Event>])
    /// `source` is stored with each new or updated row (nil: ingested; `simulate…`: synthetic).
    case observations([Located<UpvoteObservation>], source: String?)

    /// Papers, hashing them here.
    static func papers(_ rows: [Located<Paper>]) -> IngestRows { .papers(rows, hashes: rows.map { Store.contentHash64($0.row) }) }

    var count: Int {
        switch self {
        case .papers(let r, _): return r.count
        case .events(let r): return r.count
        case .observations(let r, _): return r.count
        }
    }
}

/// The write side of streaming ingest: everything `Ingestor` asks of a store. A second
/// backend (PostgreSQL, issue 12) implements these two calls; parsing, chunking, rejects,
/// `--strict` and resuming stay in `Ingestor`.
///
/// Rules every backend keeps (the counts go into `summary`):
/// - papers upsert by id: new id → accepted; merged content different from the stored row →
///   updated (a field the incoming row leaves unknown keeps its stored value); same → duplicate;
/// - events insert by (user, paper, kind, at): new → accepted, else duplicate (the stored row
///   is kept); an accepted event whose paper is not stored is also an orphan;
/// - observations upsert by (paper, observed_at): new → accepted (orphan as for events), another
///   count → updated, the same count → duplicate.
protocol IngestBackend: AnyObject {
    /// The stored progress of the file `path` ingested as `kind`, or nil.
    func ingestProgress(kind: String, path: String) throws -> IngestProgress?

    /// Applies `rows` and, when given, stores `checkpoint` with the counts of `summary` after
    /// the rows: both in ONE transaction, so that a kill leaves either both or neither.
    func applyChunk(_ rows: IngestRows, checkpoint: IngestCheckpoint?, into summary: inout IngestSummary) throws
}
