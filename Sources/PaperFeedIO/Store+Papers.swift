import Foundation
import GRDB
import PaperFeedCore

extension Store {
    /// Upserts parsed papers in ONE transaction.
    ///
    /// Rule: a paper whose id is new is *accepted*; one whose merged content differs from the
    /// stored row *updates* it (the file being ingested is taken as the newer version); one that
    /// equals the stored row is a *duplicate* and changes nothing. Merging: a field the incoming
    /// row leaves unknown (`published_at`, `upvotes`, `organization` nil; `authors`,
    /// `categories` empty) keeps its stored value, so a listing without counts never erases them.
    func applyPapers(_ rows: [Located<Paper>], into summary: inout IngestSummary) throws {
        try write { db in try applyRows(db, .papers(rows), into: &summary) }
    }

    static func hasUnknownFields(_ p: Paper) -> Bool {
        p.publishedAt == nil || p.upvotes == nil || p.organization == nil || p.authors.isEmpty || p.categories.isEmpty
    }

    static func merge(incoming: Paper, stored: Paper) -> Paper {
        var p = incoming
        if p.publishedAt == nil { p.publishedAt = stored.publishedAt }
        if p.upvotes == nil { p.upvotes = stored.upvotes }
        if p.organization == nil { p.organization = stored.organization }
        if p.authors.isEmpty { p.authors = stored.authors }
        if p.categories.isEmpty { p.categories = stored.categories }
        return p
    }

    static func arguments(_ p: Paper, hash: String, input: String) -> StatementArguments {
        [
            p.id.rawValue, p.title, p.abstract, jsonArray(p.authors), p.publishedAt.map(millis), p.upvotes,
            jsonArray(p.categories), p.organization, p.source, hash, input,
        ]
    }

    /// FNV-1a (64-bit) over a canonical serialization of every stored field: cheap enough to
    /// hash 75k abstracts per ingest; only compared for equality, never trusted across versions.
    static func contentHash(_ p: Paper) -> String { String(contentHash64(p), radix: 16) }

    /// The FNV-1a stream: each field's UTF-8 bytes then 0x1f; list items separated by 0x1e;
    /// unknown date or count `-`, unknown organization 0x00.
    static func contentHash64(_ p: Paper) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01b3
        func bytes(_ text: String) {
            var text = text
            text.withUTF8 { b in
                for x in b { h = (h ^ UInt64(x)) &* prime }
            }
        }
        func feed(_ text: String) {
            bytes(text)
            h = (h ^ 0x1f) &* prime
        }
        func feed(_ items: [String]) {
            for (k, item) in items.enumerated() {
                if k > 0 { h = (h ^ 0x1e) &* prime }
                bytes(item)
            }
            h = (h ^ 0x1f) &* prime
        }
        feed(p.id.rawValue)
        feed(p.title)
        feed(p.abstract)
        feed(p.authors)
        feed(p.publishedAt.map { String(millis($0)) } ?? "-")
        feed(p.upvotes.map(String.init) ?? "-")
        feed(p.categories)
        feed(p.organization ?? "\u{0}")
        feed(p.source)
        return h
    }

    /// A JSON array of strings, as `EventWriter.quote` writes them (hand-written: JSONSerialization
    /// per row is a hot spot at 75k rows); items with nothing to escape are copied as they are.
    static func jsonArray(_ items: [String]) -> String {
        var out = "["
        for (k, item) in items.enumerated() {
            if k > 0 { out += "," }
            if item.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c }) {
                out += EventWriter.quote(item)
            } else {
                out += "\""
                out += item
                out += "\""
            }
        }
        return out + "]"
    }

    /// Reads back a `jsonArray` with the IO module's own JSON scanner: Foundation's
    /// `JSONSerialization` drops a U+FEFF at the start of a string (`["\u{FEFF}X"]` read as
    /// `["X"]`), so an accepted author would not read back as stored (found by the fuzzer).
    static func decodeArray(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        guard case .array(let items)? = try? JSONScanner.parse(bytes, 0..<bytes.count) else { return [] }
        return items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }

    func fetchPaper(_ db: Database, id: String) throws -> Paper? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM papers WHERE id = ?", arguments: [id]) else { return nil }
        return Store.paper(from: row)
    }

    static func paper(from row: Row) -> Paper {
        Paper(
            id: PaperID(row["id"] as String), title: row["title"], abstract: row["abstract"],
            authors: decodeArray(row["authors"]), publishedAt: (row["published_at"] as Int64?).map(date),
            upvotes: row["upvotes"], categories: decodeArray(row["categories"]), organization: row["organization"],
            source: row["source"])
    }

    /// One paper by id, or nil.
    public func paper(_ id: PaperID) throws -> Paper? {
        try read { db in try fetchPaper(db, id: id.rawValue) }
    }

    /// Every paper, ordered by id (byte order), optionally only those published in `range`.
    public func papers(publishedIn range: Range<Date>? = nil) throws -> [Paper] {
        try read { db in
            if let r = range {
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM papers WHERE published_at >= ? AND published_at < ? ORDER BY id",
                    arguments: [Store.millis(r.lowerBound), Store.millis(r.upperBound)]
                ).map(Store.paper(from:))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM papers ORDER BY id").map(Store.paper(from:))
        }
    }
}

/// The columns of a paper the ranker needs, without decoding author and category lists.
public struct PaperSummary: Sendable, Hashable {
    public var id: PaperID
    public var publishedAt: Date?
    public var upvotes: Int?
    public var source: String
    public var categories: [String] = []
}

extension Store {
    /// (id, published_at, upvotes, source, categories) of every paper, ordered by id; corpus papers left out
    /// unless `includeCorpora`.
    public func paperSummaries(includeCorpora: Bool = false) throws -> [PaperSummary] {
        try read { db in
            var out: [PaperSummary] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT id, published_at, upvotes, source, categories FROM papers ORDER BY id")
            while let row = try cursor.next() {
                let source: String = row[3]
                if !includeCorpora && source.hasPrefix("corpus:") { continue }
                out.append(PaperSummary(id: PaperID(row[0] as String), publishedAt: (row[1] as Int64?).map(Store.date),
                                        upvotes: row[2], source: source, categories: Store.decodeArray(row[4])))
            }
            return out
        }
    }

    /// (id, title + "\n" + abstract) of every paper with text, ordered by id (corpus papers have none).
    ///
    /// The fit path reads 100 MB of text here: each text is made once, straight from SQLite's
    /// UTF-8 bytes of the two columns (no per-column `String` and no concatenation). As GRDB
    /// does for every other read, a column's text ends at its first NUL byte.
    public func paperTexts() throws -> [(id: PaperID, text: String)] {
        try read { db in
            var out: [(id: PaperID, text: String)] = []
            let s = try SQLiteStatement(
                db, "SELECT id, title, abstract FROM papers WHERE source NOT LIKE 'corpus:%' AND (title != '' OR abstract != '') ORDER BY id")
            defer { s.reset() }
            func untilNUL(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
                guard let base = b.baseAddress, let nul = memchr(base, 0, b.count) else { return b }
                return UnsafeBufferPointer(start: base, count: base.distance(to: nul.assumingMemoryBound(to: UInt8.self)))
            }
            while try s.step() {
                let id = s.withBytes(0) { String(decoding: untilNUL($0), as: UTF8.self) }
                let text = s.withBytes(1) { rawTitle in
                    s.withBytes(2) { rawAbstract in
                        let title = untilNUL(rawTitle), abstract = untilNUL(rawAbstract)
                        return String(unsafeUninitializedCapacity: title.count + 1 + abstract.count) { buffer in
                            var n = buffer.initialize(from: title).1
                            buffer[n] = 10
                            n += 1
                            n += UnsafeMutableBufferPointer(rebasing: buffer[n...]).initialize(from: abstract).1
                            return n
                        }
                    }
                }
                out.append((id: PaperID(id), text: text))
            }
            return out
        }
    }
}
