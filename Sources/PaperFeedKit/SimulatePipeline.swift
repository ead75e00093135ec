import Foundation
import PaperFeedCore
import PaperFeedIO
import Ranking
import TopicModel

/// `paperfeed simulate`: synthetic readers over the real papers of the store.
public enum SimulatePipeline {
    public struct Summary: Sendable, Codable {
        public var synthetic = true
        public var readers: Int
        public var days: Int
        public var seed: UInt64
        public var firstDay: String
        public var lastDay: String
        public var events: Int
        public var eventsByKind: [String: Int]
        public var qrels: Int
        /// Simulated upvote observations (cumulative counts of the listed papers, end of each day).
        public var observations: Int
        /// Per-reader standard deviations of the read probability's content and appeal terms.
        public var contentSpread: Double
        public var appealSpread: Double
        public var stored: IngestSummary?
        public var storedObservations: IngestSummary?
        public var eventsFile: String?
        public var qrelsFile: String?
        public var dailyQrelsFile: String?
        public var observationsFile: String?
    }

    /// The `source` of the simulated upvote observations in the store and in the CSV.
    public static func source(seed: UInt64) -> String { "simulate(seed \(seed))" }

    /// Simulates `configuration.days` days ending the day before `end` (default: the day after the
    /// newest dated paper), stores the events and the simulated upvote observations (unless
    /// `storeEvents` is false; observations marked with `source(seed:)`), and writes the events
    /// as JSONL, the hidden relevance as TREC qrels and the observations as CSV (the format
    /// `ingest upvotes` reads) when paths are given. The simulator sees only ingested
    /// observations, never those of an earlier `simulate`, so a rerun stores only duplicates.
    public static func run(store: Store, model: TopicModel, configuration: ReaderSimulator.Configuration, end: Date?,
                           eventsFile: String?, qrelsFile: String?, observationsFile: String? = nil, dailyQrelsFile: String? = nil,
                           storeEvents: Bool,
                           progress: Progress) throws -> Summary {
        let (space, _) = try ModelPipeline.space(model: model, store: store)
        let papers = try store.paperSummaries().map {
            RankingSnapshot.PaperInfo(id: $0.id, publishedAt: $0.publishedAt, upvotes: $0.upvotes, categories: $0.categories)
        }
        guard let newest = papers.compactMap(\.publishedAt).max() else {
            throw KitError.notFound("no dated papers in the store; ingest papers first")
        }
        let endDate = end ?? newest.addingTimeInterval(86_400)
        let observations = try store.upvoteObservations(before: endDate, ingestedOnly: true)
        progress("simulating \(configuration.readers) readers for \(configuration.days) days (seed \(configuration.seed))")
        var configuration = configuration
        if dailyQrelsFile != nil { configuration.dailyRelevance = true }
        let out = ReaderSimulator(configuration: configuration).run(space: space, papers: papers, observations: observations, end: endDate)
        var byKind: [String: Int] = [:]
        for e in out.events { byKind[e.kind.rawValue, default: 0] += 1 }
        var summary = Summary(readers: configuration.readers, days: configuration.days, seed: configuration.seed,
                              firstDay: Timestamp.formatDay(out.firstDay), lastDay: Timestamp.formatDay(out.lastDay),
                              events: out.events.count, eventsByKind: byKind, qrels: out.qrels.count,
                              observations: out.observations.count, contentSpread: out.contentSpread, appealSpread: out.appealSpread)
        if let path = eventsFile {
            try EventWriter.writeJSONL(out.events, to: path, synthetic: true)
            summary.eventsFile = path
        }
        if let path = qrelsFile {
            var text = ""
            for q in out.qrels.sorted(by: { ($0.user, $0.paper) < ($1.user, $1.paper) }) { text += "\(q.user.rawValue) 0 \(q.paper.rawValue) \(q.grade)\n" }
            try AtomicFile.write(text, to: path)
            summary.qrelsFile = path
        }
        if let path = dailyQrelsFile {
            // Reader ids USER@YYYY-MM-DD: the ids of an as-of replay's reader-days.
            var lines = out.dailyQrels.map { "\($0.user.rawValue)@\(Timestamp.formatDay($0.day)) 0 \($0.paper.rawValue) \($0.grade)\n" }
            lines.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            try AtomicFile.write(lines.joined(), to: path)
            summary.dailyQrelsFile = path
        }
        let source = source(seed: configuration.seed)
        if let path = observationsFile {
            var text = "paper,observed_at,upvotes,source\n"
            for o in out.observations { text += "\(o.paper.rawValue),\(Timestamp.format(o.observedAt)),\(o.upvotes),\(source)\n" }
            try AtomicFile.write(text, to: path)
            summary.observationsFile = path
        }
        if storeEvents {
            summary.stored = try store.insertEvents(out.events, file: source)
            summary.storedObservations = try store.insertObservations(out.observations, source: source)
        }
        return summary
    }
}
