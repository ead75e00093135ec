import Foundation
import GRDB
import PaperFeedCore

extension Store {
    /// Stores a bag-of-words corpus in ONE transaction: its vocabulary, one paper row per
    /// document (id `NAME:i`, empty title and abstract, source `corpus:NAME`) with its term
    /// counts, and the user libraries. Re-ingesting the same corpus is a no-op (duplicates);
    /// ingesting a corpus of the same name with another vocabulary is refused, since stored term
    /// ids would change meaning.
    func applyCorpus(_ corpus: Corpus, into summary: inout IngestSummary) throws {
        let vocabularyHash = SHA256.hex(corpus.vocabulary.joined(separator: "\n"))
        try write { db in
            if let old = try String.fetchOne(
                db, sql: "SELECT vocabulary_sha256 FROM corpora WHERE name = ?", arguments: [corpus.name])
            {
                guard old == vocabularyHash else {
                    throw IOError.database(
                        path,
                        reason: "corpus \(corpus.name) is stored with another vocabulary; ingest it under a new --name")
                }
            } else {
                try db.execute(
                    sql: "INSERT INTO corpora (name, vocabulary_size, vocabulary_sha256) VALUES (?, ?, ?)",
                    arguments: [corpus.name, corpus.vocabulary.count, vocabularyHash])
                let term = try db.makeStatement(sql: "INSERT INTO corpus_vocabulary (corpus, term_id, term) VALUES (?, ?, ?)")
                for (i, t) in corpus.vocabulary.enumerated() { try term.execute(arguments: [corpus.name, i, t]) }
            }
            var papers = IngestSummary(file: summary.file, kind: "papers")
            let asPapers = corpus.documents.enumerated().map { (i, d) in
                Located(line: i + 1, row: Paper(id: d.paper, title: "", abstract: "", source: "corpus:\(corpus.name)"))
            }
            try applyPapersInTransaction(db, asPapers, into: &papers)
            let doc = try db.makeStatement(
                sql: """
                    INSERT INTO corpus_documents (corpus, paper, terms) VALUES (?, ?, ?)
                    ON CONFLICT(corpus, paper) DO UPDATE SET terms = excluded.terms WHERE terms != excluded.terms
                    """)
            for d in corpus.documents {
                try doc.execute(arguments: [corpus.name, d.paper.rawValue, Store.packTerms(d)])
                if db.changesCount == 0 { summary.duplicate += 1 } else { summary.accepted += 1 }
            }
            let lib = try db.makeStatement(sql: "INSERT OR IGNORE INTO libraries (corpus, user, paper) VALUES (?, ?, ?)")
            for (user, items) in corpus.libraries {
                for p in items {
                    try lib.execute(arguments: [corpus.name, user.rawValue, p.rawValue])
                    if db.changesCount == 0 { summary.duplicate += 1 } else { summary.accepted += 1 }
                }
            }
        }
    }

    /// Same as `applyPapers` but inside an open transaction (used by the corpus path).
    func applyPapersInTransaction(_ db: Database, _ rows: [Located<Paper>], into summary: inout IngestSummary) throws {
        let exists = try db.makeStatement(sql: "SELECT content_hash FROM papers WHERE id = ?")
        let insert = try db.makeStatement(
            sql: """
                INSERT INTO papers (id, title, abstract, authors, published_at, upvotes, categories, organization, source, content_hash, input_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET source = excluded.source, content_hash = excluded.content_hash, input_hash = excluded.input_hash
                """)
        for located in rows {
            let hash = Store.contentHash(located.row)
            if let old = try String.fetchOne(exists, arguments: [located.row.id.rawValue]), old == hash {
                summary.duplicate += 1
                continue
            }
            try insert.execute(arguments: Store.arguments(located.row, hash: hash, input: hash))
            summary.accepted += 1
        }
    }

    static func packTerms(_ d: BagOfWordsDocument) -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(d.termIDs.count * 8)
        for (t, c) in zip(d.termIDs, d.counts) {
            withUnsafeBytes(of: t.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: c.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes)
    }

    static func unpackTerms(_ paper: PaperID, _ data: Data) -> BagOfWordsDocument {
        let n = data.count / 8
        var ids = [Int32](repeating: 0, count: n), counts = [Int32](repeating: 0, count: n)
        data.withUnsafeBytes { raw in
            for i in 0..<n {
                ids[i] = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: Int32.self))
                counts[i] = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i + 4, as: Int32.self))
            }
        }
        return BagOfWordsDocument(paper: paper, termIDs: ids, counts: counts)
    }

    /// A stored corpus: vocabulary, documents ordered by their index, and libraries.
    public func corpus(named name: String) throws -> Corpus? {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM corpora WHERE name = ?", arguments: [name]) != nil else { return nil }
            let vocabulary = try String.fetchAll(
                db, sql: "SELECT term FROM corpus_vocabulary WHERE corpus = ? ORDER BY term_id", arguments: [name])
            var docs = try Row.fetchAll(db, sql: "SELECT paper, terms FROM corpus_documents WHERE corpus = ?", arguments: [name])
                .map { Store.unpackTerms(PaperID($0[0] as String), $0[1]) }
            docs.sort { Store.corpusIndex($0.paper) < Store.corpusIndex($1.paper) }
            var libs: [String: [PaperID]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT user, paper FROM libraries WHERE corpus = ?", arguments: [name]) {
                libs[row[0], default: []].append(PaperID(row[1] as String))
            }
            let libraries = libs.keys.sorted { Store.corpusIndex(PaperID($0)) < Store.corpusIndex(PaperID($1)) }.map {
                (user: UserID($0), papers: libs[$0]!.sorted { Store.corpusIndex($0) < Store.corpusIndex($1) })
            }
            return Corpus(name: name, vocabulary: vocabulary, documents: docs, libraries: libraries, issues: [])
        }
    }

    /// The numeric suffix of `NAME:123` / `NAME:u123` ids, for natural ordering.
    static func corpusIndex(_ id: PaperID) -> Int {
        guard let colon = id.rawValue.lastIndex(of: ":") else { return Int.max }
        let tail = id.rawValue[id.rawValue.index(after: colon)...].drop { $0 == "u" }
        return Int(tail) ?? Int.max
    }
}
