import ArgumentParser
import Foundation
import PaperFeedCore
import PaperFeedKit
import Ranking

struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn", abstract: "Learn the ranker from the logged impressions, reads and skips before --as-of.",
        discussion: """
            Fits a position-debiased logistic model of the logged reads over the features content, collaborative \
            (readers like you), category, trend, feedback, freshness, seen and skipped (each as of the start of the \
            impression's day), choosing its regularization on the last --validation-days days by their logged reads. \
            Attaches ranker.json to the model's current version (a new version: the same topic model plus the ranker), or writes --out; \
            recommend and rerank use the attached ranker when present (--ranker none: the hand-set blend; --ranker FILE: that file).
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOption
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var ranking: RankingConfigOption
    @Option(help: "Days before --as-of on which the regularization is chosen (0: no validation).") var validationDays = 7
    @Option(help: "Write the ranker here instead of MODEL/ranker.json.") var out: String?
    @Flag(help: "Print the summary as JSON.") var json = false
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard validationDays >= 0, validationDays <= 3650 else { throw ValidationError("--validation-days must be in 0…3650") }
    }

    func run() throws {
        logging.start()
        var o = LearnPipeline.Options(asOf: try asOf.date())
        o.learner.validationDays = validationDays
        o.ranking = try ranking.load()
        o.output = out
        let db = try store.open()
        defer { try? db.close() }
        let s: LearnPipeline.Summary
        do { s = try LearnPipeline.run(store: db, modelDirectory: model.model, options: o, progress: logging.progress) } catch {
            throw Failure("\(error)")
        }
        if json { return try Output.json(s) }
        print("learned from \(s.rows) impressions (\(s.positives) read) of \(s.readers) readers, \(s.firstDay) … \(s.lastDay)")
        let v = s.validation
        if let note = v.note {
            print(note)
        } else {
            print("validation: \(v.rows) impressions, \(v.lists) lists with a read, from \(v.firstDay ?? "-"); log loss of the logged reads per λ: "
                + v.candidates.map { String(format: "%g → %.5f", $0.regularization, $0.logLoss) }.joined(separator: ", "))
            print("  one feature only: " + v.singleFeatureLogLoss.sorted { $0.key < $1.key }.map { String(format: "%@ %.5f", $0.key, $0.value) }.joined(separator: ", ")
                + String(format: "; position only %.5f", v.positionOnlyLogLoss))
        }
        print(String(format: "regularization λ = %g", s.regularization))
        for (name, w) in s.weights.sorted(by: { abs($0.value) > abs($1.value) }) {
            print(String(format: "  %-14@ %+.4f (per unit %+.4f)", name, w, s.rawWeights[name] ?? 0))
        }
        print("ranker written to \(s.ranker)" + (s.modelVersion.map { " (model version \($0))" } ?? "") + " in \(String(format: "%.1f", s.seconds)) s")
    }
}
