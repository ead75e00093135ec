import Foundation
import LinearAlgebra
import PaperFeedCore
import Ranking
import TopicModel

@testable import PaperFeedEvaluation
@testable import PaperFeedIO
@testable import PaperFeedKit

/// A read-back mismatch or a broken invariant found by the fuzzer (a crash or hang kills the
/// process instead; see `FuzzTests`).
struct FuzzFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// One parser under fuzzing: valid seed inputs and a run that parses a mutant, stores what was
/// accepted and checks that it reads back as accepted. Returns how many rows (or 1 for a file
/// that loaded) were accepted.
struct FuzzTarget: Sendable {
    var name: String
    var seeds: [[UInt8]]
    var run: @Sendable ([UInt8]) throws -> Int
}

/// The targets: every parser of issue 15's list.
enum FuzzTargets {
    static let options = ParseOptions(now: Timestamp.parse("2026-03-13T12:00:00Z")!)

    /// One store per target, emptied before each mutant (creating one per mutant costs more
    /// than parsing).
    final class Scratch: @unchecked Sendable {
        let dir: String
        let store: Store
        init(_ name: String) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("pf-fuzz-\(name)-\(UUID().uuidString)").path
            store = try Store(path: dir + "/fuzz.sqlite")
        }
        func reset() throws {
            try store.write { db in
                try db.execute(sql: """
                    DELETE FROM papers; DELETE FROM events; DELETE FROM upvote_observations; DELETE FROM corpus_documents;
                    DELETE FROM corpus_vocabulary; DELETE FROM corpora; DELETE FROM libraries
                    """)
            }
        }
    }

    static func all() throws -> [FuzzTarget] {
        try [
            papers("papers-jsonl", .jsonl, seeds: Seeds.papersJSONL), papers("papers-csv", .csv, seeds: Seeds.papersCSV),
            papers("papers-arxiv", .arxiv, seeds: Seeds.arxiv), papers("dailypapers", .dailypapers, seeds: Seeds.dailyPapers),
            events("events-jsonl", .jsonl, seeds: Seeds.eventsJSONL), events("events-csv", .csv, seeds: Seeds.eventsCSV),
            upvotes("upvotes-csv", "o.csv", seeds: Seeds.upvotesCSV), upvotes("upvotes-jsonl", "o.jsonl", seeds: Seeds.upvotesJSONL),
            corpus(), trecQrels(), trecRun(), modelManifest(), modelArray(), rankingConfig(), experimentConfig(),
        ]
    }

    static func utf8(_ texts: [String]) -> [[UInt8]] { texts.map { Array($0.utf8) } }

    // MARK: - row formats: parse, store, read back

    static func papers(_ name: String, _ format: PaperFormat, seeds: [String]) throws -> FuzzTarget {
        let scratch = try Scratch(name)
        return FuzzTarget(name: name, seeds: utf8(seeds)) { bytes in
            guard let file = try? InputFile(path: "f.\(format == .csv ? "csv" : format == .dailypapers ? "txt" : "jsonl")", contents: bytes),
                  let parsed = try? PaperParser.parse(file: file, format: format, options: options)
            else { return 0 }
            try checkIssues(parsed.issues)
            try scratch.reset()
            var summary = IngestSummary(file: "f", kind: "papers")
            try scratch.store.applyPapers(parsed.rows, into: &summary)
            var expected: [[UInt8]: Paper] = [:]
            for r in parsed.rows { expected[Array(r.row.id.rawValue.utf8)] = r.row }  // a later row updates an earlier one
            let stored = try scratch.store.papers()
            guard stored.count == expected.count else {
                throw FuzzFailure("\(stored.count) papers stored for \(expected.count) accepted ids")
            }
            for p in stored {
                guard let e = expected[Array(p.id.rawValue.utf8)] else { throw FuzzFailure("stored id \(p.id.rawValue.debugDescription) was never accepted") }
                guard FuzzBytes(p) == FuzzBytes(e) else { throw FuzzFailure("paper \(p.id.rawValue.debugDescription) reads back as \(p), accepted as \(e)") }
            }
            return parsed.rows.count
        }
    }

    static func events(_ name: String, _ format: EventFormat, seeds: [String]) throws -> FuzzTarget {
        let scratch = try Scratch(name)
        return FuzzTarget(name: name, seeds: utf8(seeds)) { bytes in
            guard let file = try? InputFile(path: format == .csv ? "e.csv" : "e.jsonl", contents: bytes),
                  let parsed = try? EventParser.parse(file: file, format: format, options: options)
            else { return 0 }
            try checkIssues(parsed.issues)
            try scratch.reset()
            var summary = IngestSummary(file: "f", kind: "events")
            try scratch.store.applyEvents(parsed.rows, into: &summary)
            var expected: [EventKey: Event] = [:]
            for r in parsed.rows where expected[EventKey(r.row)] == nil { expected[EventKey(r.row)] = r.row }  // the first one stays
            let stored = try scratch.store.events()
            guard stored.count == expected.count, summary.accepted == expected.count else {
                throw FuzzFailure("\(stored.count) events stored (\(summary.accepted) accepted) for \(expected.count) distinct accepted events")
            }
            for e in stored {
                guard let a = expected[EventKey(e)], EventKey(a) == EventKey(e), a.position == e.position, a.propensity == e.propensity,
                      a.list.map({ Array($0.utf8) }) == e.list.map({ Array($0.utf8) })
                else { throw FuzzFailure("event \(e) does not read back as accepted \(String(describing: expected[EventKey(e)]))") }
            }
            return parsed.rows.count
        }
    }

    static func upvotes(_ name: String, _ path: String, seeds: [String]) throws -> FuzzTarget {
        let scratch = try Scratch(name)
        return FuzzTarget(name: name, seeds: utf8(seeds)) { bytes in
            guard let file = try? InputFile(path: path, contents: bytes), let parsed = try? UpvoteParser.parse(file: file, options: options)
            else { return 0 }
            try checkIssues(parsed.issues)
            try scratch.reset()
            var summary = IngestSummary(file: "f", kind: "upvotes")
            try scratch.store.applyObservations(parsed.rows, into: &summary)
            var expected: [[UInt8]: [Date: Int]] = [:]
            for r in parsed.rows { expected[Array(r.row.paper.rawValue.utf8), default: [:]][r.row.observedAt] = r.row.upvotes }
            let stored = try scratch.store.upvoteObservations()
            guard stored.count == expected.values.map(\.count).reduce(0, +) else {
                throw FuzzFailure("\(stored.count) observations stored for \(expected.values.map(\.count).reduce(0, +)) accepted")
            }
            for o in stored where expected[Array(o.paper.rawValue.utf8)]?[o.observedAt] != o.upvotes {
                throw FuzzFailure("observation \(o) does not read back as accepted")
            }
            return parsed.rows.count
        }
    }

    static func corpus() throws -> FuzzTarget {
        let scratch = try Scratch("corpus")
        // One file holding the three corpus files, split at lines `@@vocabulary`, `@@libraries`.
        return FuzzTarget(name: "corpus-ldac", seeds: utf8(Seeds.corpus)) { bytes in
            func find(_ marker: String, from: Int) -> Int? {
                let m = Array(marker.utf8)
                guard bytes.count >= m.count, from <= bytes.count - m.count else { return nil }
                return (from...(bytes.count - m.count)).first { bytes[$0..<($0 + m.count)].elementsEqual(m) }
            }
            guard let v = find("@@vocabulary\n", from: 0), let l = find("@@libraries\n", from: v + 13) else { return 0 }
            let dir = scratch.dir
            try Data(bytes[0..<v]).write(to: URL(fileURLWithPath: dir + "/mult.dat"))
            try Data(bytes[(v + 13)..<l]).write(to: URL(fileURLWithPath: dir + "/vocabulary.dat"))
            try Data(bytes[(l + 12)...]).write(to: URL(fileURLWithPath: dir + "/users.dat"))
            guard let c = try? CorpusParser.parse(name: "fz", documents: dir + "/mult.dat", vocabulary: dir + "/vocabulary.dat", libraries: dir + "/users.dat")
            else { return 0 }
            try checkIssues(c.issues)
            try scratch.reset()
            var summary = IngestSummary(file: "f", kind: "corpus")
            try scratch.store.applyCorpus(c, into: &summary)
            guard let back = try scratch.store.corpus(named: "fz") else { throw FuzzFailure("the corpus was not stored") }
            guard back.vocabulary.map({ Array($0.utf8) }) == c.vocabulary.map({ Array($0.utf8) }) else { throw FuzzFailure("vocabulary differs") }
            guard back.documents == c.documents else { throw FuzzFailure("documents differ") }
            let libs = Dictionary(c.libraries.filter { !$0.papers.isEmpty }.map { ($0.user, Set($0.papers)) }, uniquingKeysWith: { $0.union($1) })
            let backLibs = Dictionary(back.libraries.map { ($0.user, Set($0.papers)) }, uniquingKeysWith: { $0.union($1) })
            guard libs == backLibs else { throw FuzzFailure("libraries differ") }
            return c.documents.count
        }
    }

    // MARK: - TREC files: parse, write, parse again

    static func trecQrels() -> FuzzTarget {
        FuzzTarget(name: "trec-qrels", seeds: utf8(Seeds.qrels)) { bytes in
            guard let q = try? TrecFormat.parseQrels(bytes, name: "q") else { return 0 }
            let again = try TrecFormat.parseQrels(Array(TrecFormat.format(q).utf8), name: "q2")
            guard again == q else { throw FuzzFailure("qrels do not read back after writing") }
            return q.count
        }
    }

    static func trecRun() -> FuzzTarget {
        FuzzTarget(name: "trec-run", seeds: utf8(Seeds.runs)) { bytes in
            guard let r = try? TrecFormat.parseRun(bytes, name: "r") else { return 0 }
            // A run file is written as published (`Run.published`: list order, strictly
            // decreasing float32 scores); it must read back as exactly that.
            let again = try TrecFormat.parseRun(Array(TrecFormat.format(r).utf8), name: "r2")
            let published = r.published(order: .paperIDDescending)
            for user in r.users where again.ranked(user) != published.ranked(user) {
                throw FuzzFailure("run of \(user) does not read back after writing")
            }
            guard again.users == r.users else { throw FuzzFailure("run readers differ after writing") }
            return r.users.count
        }
    }

    // MARK: - model files: mutate the manifest or an array (checksum recomputed), load, query

    /// The files of a small fitted model, in memory.
    static let model: (files: [(String, Data)], manifest: Data) = {
        let themes = [["graph", "neural", "network", "node"], ["protein", "folding", "molecule", "drug"], ["robot", "control", "policy", "grasp"]]
        var g = SeededGenerator(seed: 4)
        let docs = (0..<24).map { i in
            (id: PaperID(String(format: "m%02d", i)), text: (0..<12).map { _ in themes[i % 3][Int(g.next() % 4)] }.joined(separator: " "))
        }
        var c = TopicModelConfiguration()
        c.dimensions = 3
        c.minDocumentFrequency = 1
        c.maxDocumentFrequency = 0.9
        let artifact = try! TopicModel.fit(documents: docs, configuration: c, createdAt: "2026-01-01T00:00:00Z").0.artifact()
        return try! ModelFiles.files(of: artifact, attachments: [:])
    }()

    /// Writes a version folder (no pointer: the unversioned layout reads the same files) and
    /// loads it as a model, then queries it; any thrown error is a clean refusal.
    static func loadAndQuery(files: [(String, Data)], manifest: Data, scratch: Scratch) throws -> Int {
        let dir = scratch.dir + "/model"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: dir + "/" + name)) }
        try manifest.write(to: URL(fileURLWithPath: dir + "/manifest.json"))
        guard let artifact = try? ModelFiles.load(from: dir), let m = try? TopicModel(artifact: artifact) else { return 0 }
        if let first = m.paperIDs.first {
            let near = try m.similar(to: first, k: 3)
            guard near.allSatisfy({ $0.similarity.isFinite }) else { throw FuzzFailure("a loaded model gives non-finite similarities") }
        }
        let folded = try m.foldIn(texts: ["graph neural protein", ""])
        guard folded.values.allSatisfy(\.isFinite) else { throw FuzzFailure("a loaded model folds in to non-finite embeddings") }
        return 1
    }

    static func modelManifest() throws -> FuzzTarget {
        let scratch = try Scratch("manifest")
        return FuzzTarget(name: "model-manifest", seeds: [[UInt8](model.manifest)]) { bytes in
            try loadAndQuery(files: model.files, manifest: Data(bytes), scratch: scratch)
        }
    }

    static func modelArray() throws -> FuzzTarget {
        let scratch = try Scratch("array")
        let arrays = model.files.filter { $0.0.hasSuffix(".f32") }
        // A seed is one array file; the mutant replaces it and the manifest gets its new SHA-256
        // (so the header is parsed, not stopped by the checksum).
        return FuzzTarget(name: "model-array", seeds: arrays.map { [UInt8]($0.1) }) { bytes in
            let original = arrays.first { $0.1.count == bytes.count } ?? arrays[Int(bytes.first ?? 0) % arrays.count]
            var manifest = try JSONDecoder().decode(ModelFiles.Manifest.self, from: model.manifest)
            for i in manifest.arrays.indices where manifest.arrays[i].file == original.0 { manifest.arrays[i].sha256 = SHA256.hex(bytes) }
            let files = model.files.map { $0.0 == original.0 ? ($0.0, Data(bytes)) : $0 }
            return try loadAndQuery(files: files, manifest: try ModelFiles.encodeManifest(manifest), scratch: scratch)
        }
    }

    // MARK: - configurations

    /// A tiny ranking world: 30 papers in a 4-dim space, readers with history, observations.
    static let world: (space: TopicSpace, snapshot: RankingSnapshot) = {
        var g = SeededGenerator(seed: 12)
        let ids = (0..<30).map { PaperID(String(format: "r%02d", $0)) }
        let values = (0..<(30 * 4)).map { _ in Float(g.nextGaussian()) }
        let space = try! TopicSpace(ids: ids, embeddings: DenseMatrix(rows: 30, columns: 4, values: values), centered: true)
        let asOf = Timestamp.parse("2025-05-15")!
        let papers = ids.enumerated().map { k, id in
            RankingSnapshot.PaperInfo(id: id, publishedAt: asOf.addingTimeInterval(-Double(k % 10 + 1) * 43_200), upvotes: k % 4)
        }
        var events: [Event] = []
        for u in 0..<6 {
            for p in 0..<8 {
                let paper = ids[(u * 5 + p) % 30]
                let at = asOf.addingTimeInterval(-Double(p + 1) * 3600 - Double(u) * 60)
                events.append(Event(user: UserID("u\(u)"), paper: paper, kind: .impression, at: at, position: p + 1, propensity: 0.5))
                if (u + p) % 3 == 0 { events.append(Event(user: UserID("u\(u)"), paper: paper, kind: [.read, .save, .upvote, .skip][p % 4], at: at.addingTimeInterval(5))) }
            }
        }
        let observations = ids.enumerated().flatMap { k, id in
            (1...3).map { d in UpvoteObservation(paper: id, observedAt: asOf.addingTimeInterval(-Double(d) * 86_400), upvotes: (k % 5) * (4 - d)) }
        }
        return (space, RankingSnapshot(asOf: asOf, papers: papers, events: events, observations: observations))
    }()

    static func rankingConfig() -> FuzzTarget {
        FuzzTarget(name: "ranking-config", seeds: utf8(Seeds.rankingConfigs)) { bytes in
            guard let c = try? RankingConfiguration.decode(Data(bytes), source: "c.json") else { return 0 }
            let ranker = try BlendRanker(configuration: c, space: world.space, snapshot: world.snapshot)
            let lists = try ranker.rank(users: (0..<7).map { UserID("u\($0)") }, k: 5, threads: 1)
            for list in lists {
                for item in list.items where !item.score.isFinite {
                    throw FuzzFailure("an accepted configuration scores \(item.paper) as \(item.score)")
                }
            }
            return 1
        }
    }

    static func experimentConfig() throws -> FuzzTarget {
        let scratch = try Scratch("experiment")
        try FileManager.default.createDirectory(atPath: scratch.dir + "/configs", withIntermediateDirectories: true)
        return FuzzTarget(name: "experiment-config", seeds: utf8(Seeds.experiments)) { bytes in
            let path = scratch.dir + "/configs/x.json"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            guard let c = try? ExperimentConfiguration.load(path: path) else { return 0 }
            let (_, directory) = c.report(path: path)
            if c.output == nil {
                let reports = URL(fileURLWithPath: scratch.dir + "/reports").standardizedFileURL.path + "/"
                guard URL(fileURLWithPath: directory).standardizedFileURL.path.hasPrefix(reports) else {
                    throw FuzzFailure("an accepted experiment writes its report to \(directory), outside \(reports)")
                }
            }
            _ = try c.parsedMetrics()
            return 1
        }
    }

    /// Every issue must name a line ≥ 1 and a field, and the reason must not be empty.
    static func checkIssues(_ issues: [RowIssue]) throws {
        for i in issues where i.line < 1 || i.field.isEmpty || i.reason.isEmpty {
            throw FuzzFailure("malformed issue \(i)")
        }
    }
}

/// A paper's fields as bytes (Swift `String ==` is canonical equivalence, not byte equality).
struct FuzzBytes: Equatable {
    var fields: [[UInt8]]
    var publishedAt: Date?
    var upvotes: Int?
    init(_ p: Paper) {
        fields = [p.id.rawValue, p.title, p.abstract, p.organization ?? "<nil>", p.source].map { Array($0.utf8) }
            + p.authors.map { Array($0.utf8) } + [[0xFF]] + p.categories.map { Array($0.utf8) }
        publishedAt = p.publishedAt
        upvotes = p.upvotes
    }
}

/// An event's identity in the store: (user, paper, kind, at) with ids as bytes.
struct EventKey: Hashable {
    var user: [UInt8], paper: [UInt8], kind: EventKind, at: Date
    init(_ e: Event) {
        user = Array(e.user.rawValue.utf8)
        paper = Array(e.paper.rawValue.utf8)
        kind = e.kind
        at = e.at
    }
}
