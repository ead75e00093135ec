import Foundation
import LinearAlgebra
import PaperFeedCore

/// Learns the blend from the logged feedback: `RankerLearner(configuration).fit(…)` →
/// `LearnedRanker`.
///
/// **Data.** Every logged impression before as-of is a row (`TrainingRows`): positive when the
/// reader read, saved or upvoted the paper before it was shown to them again, negative otherwise
/// (an explicit skip or a paper shown and not read). Features come from the state at the start of
/// the impression's day, so no row sees its own outcome or anything later.
///
/// **Position bias: a position term, dropped when serving.** The model is pointwise logistic
/// regression on standardized features plus one offset per position bucket (`PositionBucket`):
/// in the position-based click model P(read) = e(position)·r(reader, paper), and with the
/// small read rates of a feed, logit P(read) ≈ log e(position) + logit r, so an additive
/// position offset absorbs the examination effect while the features explain r. The offset is
/// learned jointly with the features, so it is the examination effect *given* the features;
/// the examination curve the feedback scorer estimates (read rate at p over read rate at 1) is
/// confounded with the logging policy, which puts its best papers at the top, and inverse-
/// propensity weights built on it would both inherit that bias and, clipped or not, raise the
/// variance of the few reads at low positions. Serving ranks by the features only: a position
/// offset is constant over a reader's candidates and cannot change their order.
///
/// **Model.** L2-regularized logistic regression (`LogisticRegression`, Newton) on z-scored
/// features (mean and standard deviation over the rows, stored with the weights); features with
/// zero variance are dropped (weight 0). The intercept and position offsets are not penalized.
///
/// **Prior.** The penalty shrinks toward the hand-set blend of the ranking configuration, not
/// toward zero (`Design`: the blend's score is an unpenalized feature with a free scale): the
/// logging policy decides what the log can teach — a paper it never shows is never read, so
/// the log says nothing about how much the features of such papers matter — and where the log
/// is silent the ranker should stay the operator's blend rather than follow noise.
///
/// **Regularization** is chosen on the last `validationDays` days before as-of: each λ of
/// `regularizationGrid` is fitted on the earlier days and judged by how well it predicts the
/// validation days' logged reads: the mean log loss of their impressions under the model with
/// its position offsets; the chosen λ is the largest within one paired standard error of the best
/// (the one-standard-error rule, `oneStandardError`), so the ranker leaves the blend only as far
/// as the held-out reads clearly support. The log-likelihood is the position-debiased
/// criterion: re-ranking a logged list by the model and scoring it against the logged reads
/// (also recorded, `ndcg10`) rewards whatever matches the logging policy, since most reads
/// happen at the top positions that policy filled. Then the chosen λ is refitted on all rows.
/// Nothing after as-of is read.
/// With fewer than `minimumValidationLists` judged validation lists (or no earlier days),
/// `defaultRegularization` is used and the ranker says so.
public struct RankerLearner: Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        public var validationDays = 7
        public var regularizationGrid: [Double] = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100]
        public var defaultRegularization = 1e-3
        public var minimumValidationLists = 20
        public var features = RankerFeature.allCases
        /// λ of the audience vector a_c = A_c / (n_c + λ).
        public var audienceShrinkage = 3.0
        /// α of the category shares.
        public var categoryPrior = 2.0
        /// Size of the category vocabulary (including "(other)").
        public var categoryLimit = 24
        public var maxIterations = 50
        /// Exposure weights: an impression with a logged propensity π counts min(clip, 1/π), so
        /// the papers the logging policy rarely shows (its exploration) weigh as if shown as
        /// often as the others; 1 turns the weighting off. See the type's doc comment.
        public var propensityClip = 20.0
        /// Shrink toward the hand-set blend of the ranking configuration (its weights as a prior
        /// score with a free scale, see `Design`) rather than toward no signal.
        public var prior = true
        /// Choose λ by the one-standard-error rule (the largest λ within one paired standard error
        /// of the best validation loss) rather than by the best loss alone.
        public var oneStandardError = true
        public init() {}

        public func problems() -> [String] {
            var out: [String] = []
            if validationDays < 0 || validationDays > 3650 { out.append("validation days must be in 0…3650") }
            if regularizationGrid.isEmpty || regularizationGrid.count > 100 || !regularizationGrid.allSatisfy({ $0 >= 0 && $0.isFinite }) {
                out.append("the regularization grid needs 1 to 100 values ≥ 0")
            }
            if !(defaultRegularization >= 0 && defaultRegularization.isFinite) { out.append("the default regularization must be ≥ 0") }
            if features.isEmpty || Set(features).count != features.count { out.append("list each feature at most once, at least one") }
            if !(audienceShrinkage >= 0 && audienceShrinkage.isFinite) { out.append("audience shrinkage must be ≥ 0") }
            if !(categoryPrior >= 0 && categoryPrior.isFinite) { out.append("category prior must be ≥ 0") }
            if categoryLimit < 2 || categoryLimit > 256 { out.append("category limit must be in 2…256") }
            if maxIterations < 1 || maxIterations > 1000 { out.append("max iterations must be in 1…1000") }
            if !(propensityClip >= 1 && propensityClip <= 1e6) { out.append("the propensity clip must be in 1…1e6") }
            return out
        }
    }

    public let configuration: Configuration
    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Learns from the snapshot (everything before its as-of) in `space`, with the profile,
    /// trend and feedback settings of `ranking` and its candidate window.
    public func fit(snapshot: RankingSnapshot, space: TopicSpace, ranking: RankingConfiguration, topicModel: String) throws -> LearnedRanker {
        if let p = configuration.problems().first { throw RankingError.learning(p) }
        let log = EventLog(events: snapshot.events)
        let settings = Self.settings(log: log, snapshot: snapshot, ranking: ranking, configuration: configuration)
        let rows = TrainingRows.extract(log: log, snapshot: snapshot, space: space, features: configuration.features, settings: settings)
        guard rows.count > 0 else { throw RankingError.learning("no logged impression of a paper in the topic space before \(Timestamp.format(snapshot.asOf))") }
        guard rows.positives > 0 else { throw RankingError.learning("no logged read, save or upvote after an impression before \(Timestamp.format(snapshot.asOf))") }
        guard rows.positives < rows.count else { throw RankingError.learning("every logged impression was read: nothing to contrast") }

        // Validation: the last `validationDays` days of rows.
        let lastDay = Int(rows.day.max()!)
        let firstValidation = lastDay - configuration.validationDays + 1
        let trainIndex = (0..<rows.count).filter { Int(rows.day[$0]) < firstValidation }
        let validIndex = (0..<rows.count).filter { Int(rows.day[$0]) >= firstValidation }
        var candidates: [LearnedRanker.Validation.Candidate] = []
        var chosen = configuration.defaultRegularization
        var note: String? = nil
        let validLists = Self.judgedGroups(rows, validIndex)
        var singles: [String: Double] = [:]
        var logged = 0.0
        let prior = configuration.prior ? Self.priorWeights(ranking, features: rows.features) : nil
        if configuration.validationDays > 0, !trainIndex.isEmpty, validLists.count >= configuration.minimumValidationLists,
           trainIndex.contains(where: { rows.grade[$0] > 0 }) {
            let design = Design(rows: rows, index: trainIndex, clip: configuration.propensityClip, prior: prior)
            var warm: [Double]? = nil
            var lambdas: [Double] = [], perRow: [[Double]] = [], rowWeights: [Double] = []
            for lambda in configuration.regularizationGrid.sorted(by: >) {
                let fit = try design.fit(lambda: lambda, maxIterations: configuration.maxIterations, start: warm)
                warm = fit.coefficients
                let w = design.featureWeights(fit.coefficients)
                let ndcg = Self.meanNDCG(rows, validLists) { design.score(rows, $0, w) }
                let (loss, weight) = design.losses(rows, validIndex, fit.coefficients)
                let total = weight.reduce(0, +)
                candidates.append(.init(regularization: lambda, logLoss: zip(loss, weight).reduce(0) { $0 + $1.0 * $1.1 } / total, ndcg10: ndcg))
                lambdas.append(lambda)
                perRow.append(loss)
                rowWeights = weight
            }
            chosen = configuration.oneStandardError
                ? Self.oneStandardError(lambdas: lambdas, losses: perRow, weights: rowWeights)
                : candidates.min { $0.logLoss < $1.logLoss || ($0.logLoss == $1.logLoss && $0.regularization > $1.regularization) }!.regularization
            let bestLambda = candidates.min { $0.logLoss < $1.logLoss || ($0.logLoss == $1.logLoss && $0.regularization > $1.regularization) }!.regularization
            candidates.sort { $0.regularization < $1.regularization }
            // Each feature alone (with the position offsets and intercept), at the best-loss λ, same days.
            for (k, f) in rows.features.enumerated() where design.column[k] != nil {
                let single = Design(rows: rows, index: trainIndex, only: k, clip: configuration.propensityClip)
                let fit = try single.fit(lambda: bestLambda, maxIterations: configuration.maxIterations, start: nil)
                singles[f.rawValue] = single.logLoss(rows, validIndex, fit.coefficients)
            }
            let none = Design(rows: rows, index: trainIndex, only: -1, clip: configuration.propensityClip)
            logged = none.logLoss(rows, validIndex, try none.fit(lambda: bestLambda, maxIterations: configuration.maxIterations, start: nil).coefficients)
        } else {
            note = "validation skipped (\(validLists.count) judged lists in the last \(configuration.validationDays) days, "
                + "\(trainIndex.count) earlier rows): default regularization \(configuration.defaultRegularization)"
        }

        let all = Design(rows: rows, index: Array(0..<rows.count), clip: configuration.propensityClip, prior: prior)
        let fit = try all.fit(lambda: chosen, maxIterations: configuration.maxIterations, start: nil)
        let weights = all.featureWeights(fit.coefficients)
        let users = Set(rows.user).count
        func day(_ d: Int) -> String { Timestamp.formatDay(Date(timeIntervalSince1970: Double(d) * 86_400)) }
        return LearnedRanker(
            topicModel: topicModel, features: rows.features, mean: all.mean, scale: all.scale, weights: weights, settings: settings,
            training: .init(asOf: Timestamp.format(snapshot.asOf), firstDay: day(Int(rows.day.min()!)), lastDay: day(lastDay),
                            rows: rows.count, positives: rows.positives, readers: users, dataSha256: Self.checksum(snapshot),
                            regularization: chosen, iterations: fit.iterations, positionBuckets: PositionBucket.labels,
                            positionOffsets: all.positionOffsets(fit.coefficients), intercept: fit.coefficients.last ?? 0,
                            prior: prior.map { p in Dictionary(uniqueKeysWithValues: zip(rows.features.map(\.rawValue), p)) },
                            priorScale: all.priorScale(fit.coefficients)),
            validation: .init(days: configuration.validationDays, firstDay: candidates.isEmpty ? nil : day(firstValidation),
                              lists: validLists.count, rows: validIndex.count, candidates: candidates, singleFeatureLogLoss: singles,
                              positionOnlyLogLoss: logged, note: note))
    }

    /// The hand-set blend of `ranking` as a raw weight per learned feature (the prior): content,
    /// collaborative, trend, feedback and freshness weigh their z-scores as in the blend, a skip
    /// counts −skipPenalty; seen and category 0.
    static func priorWeights(_ ranking: RankingConfiguration, features: [RankerFeature]) -> [Double] {
        let w = ranking.weights
        return features.map { f in
            switch f {
            case .content: w.content
            case .collaborative: w.collaborative
            case .trend: w.trend
            case .feedback: w.feedback
            case .freshness: w.freshness
            case .skipped: -ranking.feedback.skipPenalty
            case .seen, .category: 0
            }
        }
    }

    /// The feature settings for a log: the profile, trend and feedback settings of `ranking`, the
    /// examination curve estimated from the log (unless `ranking` fixes one), the category
    /// vocabulary of the snapshot's papers.
    static func settings(log: EventLog, snapshot: RankingSnapshot, ranking: RankingConfiguration,
                         configuration: Configuration) -> LearnedRanker.Settings {
        LearnedRanker.Settings(
            content: ranking.content, trend: ranking.trend, feedbackPriorStrength: ranking.feedback.priorStrength,
            examination: ranking.feedback.examination.isEmpty
                ? Examination.estimate(log, maxPosition: ranking.feedback.maxPosition) : ranking.feedback.examination,
            audienceShrinkage: configuration.audienceShrinkage, categoryPrior: configuration.categoryPrior,
            categories: configuration.features.contains(.category)
                ? CategoryVocabulary.build(snapshot.papers.map(\.categories), limit: configuration.categoryLimit) : nil,
            candidateWindowDays: ranking.candidates.windowDays)
    }

    /// SHA-256 of the snapshot's events and observations, one line each in snapshot order.
    static func checksum(_ s: RankingSnapshot) -> String {
        var h = SHA256()
        for e in s.events {
            h.update("\(e.user.rawValue)\t\(e.paper.rawValue)\t\(e.kind.rawValue)\t\(e.at.timeIntervalSince1970)\t\(e.position ?? 0)\n")
        }
        for o in s.observations { h.update("\(o.paper.rawValue)\t\(o.observedAt.timeIntervalSince1970)\t\(o.upvotes)\n") }
        return h.finalize().hexString
    }
}
