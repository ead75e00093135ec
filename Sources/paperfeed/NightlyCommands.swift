import ArgumentParser
import Foundation
import PaperFeedCore
import PaperFeedIO
import PaperFeedKit

struct NightlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightly", abstract: "The cron job: ingest the inbox, fold in, learn, rerank, evaluate yesterday, publish.",
        discussion: """
            Idempotent and resumable: a kill at any point and a rerun finish the same night with the same files; a night
            already published is left alone. Exit codes for cron: 0 published (or already published); 1 failed;
            2 refused — another run holds the lock, no new papers, a stale as-of, 0 candidates, or a quality drop past
            the configured threshold — with the reason on stderr. Settings and outputs: docs/outputs.md ("nightly").
            """)
    @Option(help: "Nightly configuration (JSON; default: the built-in settings, folders under out/nightly/).") var config: String?
    @Option(help: "The night's as-of time (YYYY-MM-DD or ISO 8601). Default: now.") var asOf: String?
    @Option(help: "For recovery tests: stop (exit 1) after this step (ingest, fold-in, learn, rerank, evaluate, publish).")
    var stopAfter: String?
    @Flag(help: "Print the night's summary as JSON.") var json = false
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start()
        let date = try asOf.map { try parseDate($0, option: "--as-of") } ?? SystemClock().now
        let c: NightlyConfiguration
        do { c = try NightlyConfiguration.load(path: config) } catch { throw Failure("\(error)") }
        let s: NightlyPipeline.Summary
        do {
            s = try NightlyPipeline.run(configuration: c, asOf: date, progress: logging.progress, stopAfter: stopAfter)
        } catch let r as NightlyPipeline.Refused {
            if json { try Output.json(r.summary) }
            throw refused(r.reason)
        } catch {
            throw Failure("\(error)")
        }
        if json { return try Output.json(s) }
        if let reason = s.reason { print(reason) }
        for step in s.steps { print(step.step.padding(toLength: 9, withPad: " ", startingAt: 0) + String(format: "%7.2f s  ", step.seconds) + step.note) }
        if let h = s.history, s.outcome == "published" { print("published \(h.published) (run \(h.run), \(h.readers) readers)") }
    }
}

struct FoldInCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fold-in", abstract: "Fold the store's new papers into the model (or refit past the drift thresholds).",
        discussion: "Thresholds and formulas: FoldInPipeline (docs/outputs.md). The model folder is replaced as a whole.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOption
    @Option(help: "Refit when more than this share of the model's papers were folded in.") var maxFoldedInShare = 0.25
    @Option(help: "Refit when the new papers' out-of-vocabulary rate exceeds the fitted papers' by more than this.")
    var maxVocabularyDrift = 0.10
    @Flag(help: "Never refit; always fold in.") var noRefit = false
    @Option(help: "Date the new model by this time (YYYY-MM-DD or ISO 8601). Default: now.") var asOf: String?
    @Flag(help: "Print the summary as JSON.") var json = false
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start()
        var t = FoldInPipeline.Thresholds()
        t.maxFoldedInShare = maxFoldedInShare
        t.maxVocabularyDrift = maxVocabularyDrift
        let clock = FixedClock(try asOf.map { try parseDate($0, option: "--as-of") } ?? SystemClock().now)
        let db = try store.open()
        defer { try? db.close() }
        let s: FoldInPipeline.Summary
        do {
            s = try FoldInPipeline.run(store: db, directory: model.model, thresholds: t, allowRefit: !noRefit, clock: clock,
                                       progress: logging.progress)
        } catch { throw Failure("\(error)") }
        if json { return try Output.json(s) }
        print("\(s.model): \(s.reason); \(s.papersBefore) → \(s.papersAfter) papers")
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "The nightly history: one row per published night, with yesterday's lists judged by today's reads.")
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print as JSON.") var json = false
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.start()
        let db = try store.open()
        defer { try? db.close() }
        let rows: [NightlyHistoryRow]
        do { rows = try db.nightlyHistory() } catch { throw Failure("\(error)") }
        if json {
            struct All: Encodable { var nights: [NightlyHistoryRow] }
            return try Output.json(All(nights: rows))
        }
        print("night       run                          readers  new  refit  evaluated  CTR@k   nDCG@10  coverage")
        func f(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "–" }
        for r in rows {
            print("\(r.night)  \(r.run.padding(toLength: 27, withPad: " ", startingAt: 0))  \(String(format: "%7d", r.readers))  "
                + "\(String(format: "%3d", r.newPapers))  \(r.refit ? "yes  " : "no   ")  \(String(format: "%9d", r.evaluatedReaders))  "
                + "\(f(r.ctrAtK))  \(f(r.ndcgAt10))   \(f(r.coverage))")
        }
    }
}
