import ArgumentParser
import Foundation
import PaperFeedCore
import PaperFeedIO
import PaperFeedKit
import Ranking

struct RankingConfigOption: ParsableArguments {
    @Option(help: "Ranking configuration JSON (default: built-in defaults; see README \"Ranking\").")
    var config: String?

    func load() throws -> RankingConfiguration {
        do { return try RankingConfiguration.load(path: config) } catch { throw Failure("\(error)") }
    }
}

struct AsOfOption: ParsableArguments {
    @Option(help: "Rank as of this time (YYYY-MM-DD or ISO 8601); only data before it is used. Default: now.")
    var asOf: String?

    func date() throws -> Date { try asOf.map { try parseDate($0, option: "--as-of") } ?? SystemClock().now }
}

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Synthetic readers over the real papers: impressions, reads, skips, saves, upvotes.",
        discussion: "Every output is synthetic (user ids sim-…). The events and the simulated upvote counts go into the store (observations marked source simulate(seed S)) and, with --out and --observations, to JSONL and CSV files; the hidden relevance goes to --qrels. Model: see ReaderSimulator.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOption
    @Option(help: "Number of readers.") var readers = 200
    @Option(help: "Number of days.") var days = 30
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Papers shown per visit.") var listLength = 20
    @Option(help: "A paper is listed on this many days from its publication day (1: that day only).") var feedWindowDays = 3
    @Option(help: "Weight of the latent paper appeal (N(0,1)) in the read probability.") var appealWeight = 0.08
    @Option(help: "Share of readers who sign up during the simulated days (cold-start readers).") var newReaderShare = 0.25
    @Option(help: "Reader communities that share interests and a taste of their own for papers (0: none).") var communities = 0
    @Option(help: "Weight of a community's own taste (N(0,1) per paper and community) in the read probability.") var communityAppealWeight = 0.0
    @Option(help: "Weight of the paper's current upvote count (readers' taste for popular papers) in the read probability.") var popularity = 0.1
    @Option(help: "Simulate the days before this date (default: the day after the newest paper).") var end: String?
    @Option(help: "Also write the events as JSONL.") var out: String?
    @Option(help: "Write the hidden relevance as TREC qrels.") var qrels: String?
    @Option(help: "Write the hidden relevance of every listed paper on every day as TREC qrels (reader ids USER@YYYY-MM-DD, the ids of an as-of replay).") var dailyQrels: String?
    @Option(help: "Write the simulated upvote observations as CSV (paper,observed_at,upvotes,source).") var observations: String?
    @Flag(help: "Do not store the events in the database.") var noStore = false
    @Flag(help: "Print the summary as JSON.") var json = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard readers >= 1, days >= 1, listLength >= 1 else { throw ValidationError("--readers, --days and --list-length must be at least 1") }
        guard feedWindowDays >= 1 else { throw ValidationError("--feed-window-days must be at least 1 (1: a paper is listed on its publication day only)") }
        guard appealWeight.isFinite, appealWeight >= 0 else { throw ValidationError("--appeal-weight must be a number ≥ 0") }
        guard newReaderShare >= 0, newReaderShare <= 1 else { throw ValidationError("--new-reader-share must be in [0, 1]") }
        guard communities >= 0, communities <= 1000 else { throw ValidationError("--communities must be in 0…1000") }
        guard communityAppealWeight.isFinite, communityAppealWeight >= 0 else { throw ValidationError("--community-appeal-weight must be a number ≥ 0") }
        guard popularity.isFinite, popularity >= 0 else { throw ValidationError("--popularity must be a number ≥ 0") }
    }

    func run() throws {
        logging.start()
        var c = ReaderSimulator.Configuration()
        c.readers = readers
        c.days = days
        c.seed = seed
        c.listLength = listLength
        c.feedWindowDays = feedWindowDays
        c.appealWeight = appealWeight
        c.newReaderShare = newReaderShare
        c.communities = communities
        c.communityAppealWeight = communityAppealWeight
        c.popularity = popularity
        let m = try model.load()
        let db = try store.open()
        defer { try? db.close() }
        let s = try SimulatePipeline.run(store: db, model: m, configuration: c, end: try end.map { try parseDate($0, option: "--end") },
                                         eventsFile: out, qrelsFile: qrels, observationsFile: observations, dailyQrelsFile: dailyQrels,
                                         storeEvents: !noStore, progress: logging.progress)
        if json { return try Output.json(s) }
        print("SYNTHETIC: \(s.readers) readers, \(s.days) days \(s.firstDay) .. \(s.lastDay), seed \(s.seed)")
        print("events \(s.events): " + s.eventsByKind.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        print("simulated upvote observations \(s.observations)")
        print(String(format: "read probability terms, sd over one reader's papers: content %.3f, appeal %.3f", s.contentSpread, s.appealSpread))
        if let st = s.stored { print("stored: accepted \(st.accepted), duplicate \(st.duplicate)") }
        if let st = s.storedObservations { print("stored observations: accepted \(st.accepted), updated \(st.updated), duplicate \(st.duplicate)") }
        if let f = s.eventsFile { print("events written to \(f)") }
        if let f = s.qrelsFile { print("hidden relevance (\(s.qrels) judgments) written to \(f)") }
        if let f = s.dailyQrelsFile { print("daily hidden relevance written to \(f)") }
        if let f = s.observationsFile { print("upvote observations written to \(f)") }
    }
}

struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend", abstract: "One reader's ranked list, with the per-signal breakdown and explanations.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOption
    @OptionGroup var rankingConfig: RankingConfigOption
    @OptionGroup var asOf: AsOfOption
    @Option(help: "Reader id.") var user: String
    @Option(help: "List length.") var k = 20
    @Flag(help: "Show \"because you read …\" for each item.") var explain = false

    func validate() throws {
        guard (1...10_000).contains(k) else { throw ValidationError("--k must be in 1…10000") }
    }
    @Option(help: "Cold start: seed interests from these paper ids (comma-separated).") var seedPapers: String?
    @Option(help: "Cold start: seed interests from free text, folded in through the topic model.") var seedText: String?
    @Flag(help: "Print an empty list when no paper is a candidate (otherwise that is an error).") var allowEmpty = false
    @Flag(help: "Print as JSON.") var json = false

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var rankerOption: RankerOption

    func run() throws {
        logging.start()
        let (m, learned) = try rankerOption.load(model)
        let db = try store.open()
        defer { try? db.close() }
        let seeds = seedPapers.map { $0.split(separator: ",").map { PaperID(String($0).trimmingCharacters(in: .whitespaces)) } } ?? []
        let r = try RecommendPipeline.run(store: db, model: m, user: UserID(user), k: k, asOf: try asOf.date(),
                                          configuration: try rankingConfig.load(), learned: learned, explain: explain, seedPapers: seeds,
                                          seedText: seedText)
        if r.candidates == 0 && !allowEmpty {
            throw Failure("no candidates for \(user) as of \(r.asOf): no paper published in the candidate window before it; "
                + "pass --as-of within the data, or --allow-empty")
        }
        if json { return try Output.json(r) }
        print("\(r.user) as of \(r.asOf): \(r.history) events of history, \(r.candidates) candidates\(r.coldStart ? " (cold start: trend + freshness)" : "")")
        for item in r.items {
            let parts = item.signals.sorted(by: { $0.key < $1.key }).filter { $0.value != 0 }.map { String(format: "%@ %.3f", $0.key, $0.value) }
            print(String(format: "%2d. %.3f  ", item.rank, item.score) + "\(item.paper)  \(item.title.prefix(90))")
            print("      " + parts.joined(separator: " + "))
            for b in item.because ?? [] { print("      because you read \(b.paper) \"\(b.title.prefix(70))\"") }
        }
    }
}

struct RerankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerank", abstract: "Nightly batch: rank every reader, store the lists, optionally write JSONL, CSV or TREC.",
        discussion: "Resumable: the run id is derived from the inputs; rerunning after a crash finishes the same run. A run becomes visible only when complete.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOption
    @OptionGroup var rankingConfig: RankingConfigOption
    @OptionGroup var asOf: AsOfOption
    @Option(help: "List length per reader.") var k = 100
    @Option(help: "Rank only shard I of N (I/N, 0-based), by a stable hash of the reader id.") var shard: String?
    @Option(help: "Rank only the readers listed in this file, one id per line.") var users: String?
    @Option(help: "Write the lists as JSONL.") var out: String?
    @Option(help: "Write the lists as CSV.") var csv: String?
    @Option(help: "Write the lists as a TREC run file.") var trec: String?
    @Option(help: "Readers per stored block.") var chunk = 2048
    @Flag(help: "Store the run even when no paper is a candidate (otherwise that is an error and nothing is stored).")
    var allowEmpty = false
    @Flag(help: "Print the summary as JSON.") var json = false

    @OptionGroup var rankerOption: RankerOption
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...10_000).contains(k) else { throw ValidationError("--k must be in 1…10000") }
        if let s = shard {
            let p = s.split(separator: "/").compactMap { Int($0) }
            guard p.count == 2, p[1] >= 1, p[0] >= 0, p[0] < p[1] else { throw ValidationError("--shard takes I/N with 0 ≤ I < N, e.g. 0/4") }
        }
    }

    func run() throws {
        logging.start()
        var o = RerankPipeline.Options(asOf: try asOf.date())
        o.k = k
        o.configuration = try rankingConfig.load()
        o.shard = shard.map { s in let p = s.split(separator: "/").compactMap { Int($0) }; return (p[0], p[1]) }
        if let path = users {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw Failure("\(path): cannot read the users file") }
            o.users = text.split(whereSeparator: \.isNewline).map { UserID(String($0).trimmingCharacters(in: .whitespaces)) }.filter { !$0.rawValue.isEmpty }
        }
        o.jsonl = out
        o.csv = csv
        o.trec = trec
        o.chunk = max(1, chunk)
        o.allowEmpty = allowEmpty
        let (m, learned) = try rankerOption.load(model)
        o.learned = learned
        let db = try store.open()
        defer { try? db.close() }
        let s: RerankPipeline.Summary
        do { s = try RerankPipeline.run(store: db, model: m, options: o, progress: logging.progress) } catch { throw Failure("\(error)") }
        if json { return try Output.json(s) }
        print("run \(s.run): \(s.readers) readers (\(s.resumed) resumed), \(s.candidates) candidates, k = \(s.k)")
        print(String(format: "%.2f s (setup %.2f, ranking %.2f), %.0f readers/s", s.seconds, s.secondsSetup, s.secondsRanking, s.readersPerSecond))
        for f in s.outputs { print("wrote \(f)") }
    }
}
