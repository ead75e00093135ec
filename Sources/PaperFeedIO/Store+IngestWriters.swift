import Foundation
import GRDB
import PaperFeedCore

/// Papers, one row at a time inside the chunk's transaction (each row's outcome depends on
/// the stored one): the stored hashes come from the covering index `papers_hashes`, so an
/// unchanged paper is recognised without reading its text back.
struct PaperBatchWriter {
    private let find: SQLiteStatement
    private let upsert: SQLiteStatement
    private let touch: SQLiteStatement

    init(_ db: Database) throws {
        find = try SQLiteStatement(db, Store.paperHashesQuery)
        upsert = try SQLiteStatement(
            db,
            """
            INSERT INTO papers (id, title, abstract, authors, published_at, upvotes, categories,
                                organization, source, content_hash, input_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET title = excluded.title, abstract = excluded.abstract,
              authors = excluded.authors, published_at = excluded.published_at,
              upvotes = excluded.upvotes, categories = excluded.categories,
              organization = excluded.organization, source = excluded.source,
              content_hash = excluded.content_hash, input_hash = excluded.input_hash
            """)
        touch = try SQLiteStatement(db, "UPDATE papers SET input_hash = ? WHERE id = ?")
    }

    /// The rule of `Store.applyPapers`: an input equal to the last ingested one is a duplicate;
    /// otherwise merge unknown fields from the stored row and compare the merged content.
    func apply(_ db: Database, _ rows: [Located<Paper>], hashes: [UInt64], into summary: inout IngestSummary) throws {
        for (located, inputHash) in zip(rows, hashes) {
            var paper = located.row
            let id = paper.id.rawValue
            let input = String(inputHash, radix: 16)
            find.bind(1, id)
            var previous: (content: String, input: String)?
            if try find.step() { previous = (find.text(0), find.text(1)) }
            find.reset()
            guard let previous else {
                try store(paper, hash: input, input: input)
                summary.accepted += 1
                continue
            }
            if previous.input == input {
                summary.duplicate += 1
                continue
            }
            if Store.hasUnknownFields(paper),
                let row = try Row.fetchOne(db, sql: "SELECT * FROM papers WHERE id = ?", arguments: [id])
            {
                paper = Store.merge(incoming: paper, stored: Store.paper(from: row))
            }
            let hash = Store.contentHash(paper)
            if hash == previous.content {
                touch.bind(1, input)
                touch.bind(2, id)
                try touch.run()
                summary.duplicate += 1
                continue
            }
            try store(paper, hash: hash, input: input)
            summary.updated += 1
        }
    }

    private func store(_ p: Paper, hash: String, input: String) throws {
        upsert.bind(1, p.id.rawValue)
        upsert.bind(2, p.title)
        upsert.bind(3, p.abstract)
        upsert.bind(4, Store.jsonArray(p.authors))
        upsert.bind(5, p.publishedAt.map(Store.millis).map(Int.init))
        upsert.bind(6, p.upvotes)
        upsert.bind(7, Store.jsonArray(p.categories))
        upsert.bind(8, p.organization)
        upsert.bind(9, p.source)
        upsert.bind(10, hash)
        upsert.bind(11, input)
        try upsert.run()
    }
}

/// Upvote observations, one row at a time (the outcome depends on the stored count).
struct ObservationBatchWriter {
    private let find: SQLiteStatement
    private let upsert: SQLiteStatement
    private var papers: KnownPapers

    init(_ db: Database) throws {
        find = try SQLiteStatement(db, "SELECT upvotes FROM upvote_observations WHERE paper = ? AND observed_at = ?")
        upsert = try SQLiteStatement(
            db,
            """
            INSERT INTO upvote_observations (paper, observed_at, upvotes, source) VALUES (?, ?, ?, ?)
            ON CONFLICT(paper, observed_at) DO UPDATE SET upvotes = excluded.upvotes, source = excluded.source
            """)
        papers = try KnownPapers(db)
    }

    mutating func apply(_ rows: [Located<UpvoteObservation>], source: String?, into summary: inout IngestSummary) throws {
        for located in rows {
            let o = located.row
            let at = Store.millis(o.observedAt)
            find.bind(1, o.paper.rawValue)
            find.bind(2, at)
            let old: Int64? = try find.step() ? find.int64(0) : nil
            find.reset()
            if let old {
                if old == Int64(o.upvotes) {
                    summary.duplicate += 1
                    continue
                }
                summary.updated += 1
            } else {
                summary.accepted += 1
                if try !papers.contains(o.paper.rawValue) { summary.orphan += 1 }
            }
            upsert.bind(1, o.paper.rawValue)
            upsert.bind(2, at)
            upsert.bind(3, Int64(o.upvotes))
            upsert.bind(4, source)
            try upsert.run()
        }
    }
}

extension Store {
    /// The stored (content, input) hashes of one paper, from the covering index (checked by a
    /// query-plan test: the texts are never read to answer it).
    static let paperHashesQuery = "SELECT content_hash, input_hash FROM papers INDEXED BY papers_hashes WHERE id = ?"
}
