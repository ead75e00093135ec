import Foundation
import LinearAlgebra
import PaperFeedCore
import PaperFeedEvaluation
import PaperFeedIO
import Ranking
import TopicModel

/// `paperfeed rerank`: the nightly batch. Every reader with history before `asOf` (or the
/// readers of `--users`, or of one shard) gets a top-k list; lists are stored in blocks, one
/// transaction per block, under a run id derived from the inputs. The run becomes visible only
/// when complete; a rerun after a crash skips the readers already stored and finishes the run,
/// so the output equals an uninterrupted run's. Output files are written from the stored run,
/// atomically, after completion.
public enum RerankPipeline {
    public struct Options: Sendable {
        public var asOf: Date
        public var k = 100
        public var configuration = RankingConfiguration()
        /// Rank with this learned ranker instead of the configuration's hand-set weights (the
        /// configuration still gives the candidate window, exclusions and diversity).
        public var learned: LearnedRanker? = nil
        /// Shard `index` of `count`: readers whose stable hash (FNV-1a of the id) mod count == index.
        public var shard: (index: Int, count: Int)? = nil
        public var users: [UserID]? = nil
        public var jsonl: String? = nil
        public var csv: String? = nil
        public var trec: String? = nil
        public var chunk = 2048
        public var threads = ProcessInfo.processInfo.activeProcessorCount
        /// For tests of crash recovery: stop (throw) after this many chunks.
        public var stopAfterChunks: Int? = nil
        /// Store a run although there is no candidate (otherwise `NoCandidates` is thrown and
        /// nothing is stored).
        public var allowEmpty = false
        public init(asOf: Date) { self.asOf = asOf }
    }

    public struct Summary: Sendable, Codable {
        public var run: String
        public var asOf: String
        public var readers: Int
        public var resumed: Int
        public var candidates: Int
        public var k: Int
        public var seconds: Double
        public var secondsSetup: Double
        public var secondsRanking: Double
        public var readersPerSecond: Double
        public var outputs: [String]
    }

    public struct Interrupted: Error, CustomStringConvertible {
        public var description: String { "rerank stopped on purpose (stopAfterChunks)" }
    }

    public static func run(store: Store, model: TopicModel, options o: Options, progress: Progress) throws -> Summary {
        let t0 = now()
        let (space, folded) = try ModelPipeline.space(model: model, store: store)
        if folded > 0 { progress("folded \(folded) new papers into the topic space") }
        let snapshot = try RankingSnapshot.load(store: store, asOf: o.asOf)
        let ranker = try BlendRanker(configuration: o.configuration, space: space, snapshot: snapshot, learned: o.learned)
        if ranker.candidateRows.isEmpty && !o.allowEmpty {
            throw NoCandidates(asOf: o.asOf, windowDays: o.configuration.candidates.windowDays,
                               newest: snapshot.papers.compactMap(\.publishedAt).max())
        }
        var readers = o.users ?? ranker.readers
        if let s = o.shard { readers = readers.filter { Int($0.rawValue.hashValueStable % UInt64(s.count)) == s.index } }
        readers = Array(Set(readers)).sorted()
        let id = runID(options: o, model: model, snapshot: snapshot, readers: readers)
        let done = try store.beginRun(id: id, asOf: o.asOf, k: o.k, configuration: o.configuration.json(),
                                      shard: o.shard.map { "\($0.index)/\($0.count)" }, startedAt: o.asOf)
        let todo = readers.filter { !done.contains($0) }
        let setup = now() - t0
        progress("run \(id): \(readers.count) readers (\(done.count) already done), \(ranker.candidateRows.count) candidates, k = \(o.k)")
        let t1 = now()
        var chunks = 0
        for start in stride(from: 0, to: todo.count, by: o.chunk) {
            let chunk = Array(todo[start..<min(start + o.chunk, todo.count)])
            let lists = try ranker.rank(users: chunk, k: o.k, threads: o.threads)
            try store.storeLists(run: id, lists)
            chunks += 1
            progress("ranked \(min(start + o.chunk, todo.count))/\(todo.count) readers")
            if let stop = o.stopAfterChunks, chunks >= stop { throw Interrupted() }
        }
        let ranking = now() - t1
        try store.completeRun(id: id, finishedAt: o.asOf)
        let outputs = try RankedListWriter.write(run: id, store: store, jsonl: o.jsonl, csv: o.csv, trec: o.trec)
        let total = now() - t0
        return Summary(run: id, asOf: Timestamp.format(o.asOf), readers: readers.count, resumed: done.count,
                       candidates: ranker.candidateRows.count, k: o.k, seconds: total, secondsSetup: setup, secondsRanking: ranking,
                       readersPerSecond: ranking > 0 ? Double(todo.count) / ranking : 0, outputs: outputs)
    }

    /// The run id: a hash of everything that determines the lists (as-of time, k, configuration, learned ranker,
    /// shard, readers, model, and the store's data up to as-of), so the same inputs resume the
    /// same run and different inputs never mix.
    static func runID(options o: Options, model: TopicModel, snapshot: RankingSnapshot, readers: [UserID]) -> String {
        var h = SHA256()
        h.update("\(Timestamp.format(o.asOf))|\(o.k)|\(o.configuration.json())|\(o.shard.map { "\($0.index)/\($0.count)" } ?? "-")|")
        h.update(model.corpusSHA256 + "|" + model.createdAt + "|\(model.dimensions)|")
        h.update("\(snapshot.papers.count)|\(snapshot.events.count)|\(snapshot.events.last.map { Timestamp.format($0.at) } ?? "-")|")
        h.update("\(snapshot.observations.count)|")
        // The learned ranker, by the SHA-256 of its payload ("-": the hand-set blend).
        h.update((o.learned.flatMap { try? SHA256.hex([UInt8](LearnPipeline.encode($0))) } ?? "-") + "|")
        for r in readers { h.update(r.rawValue + "\n") }
        return "run-" + Timestamp.formatDay(o.asOf) + "-" + String(h.finalize().hexString.prefix(12))
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
