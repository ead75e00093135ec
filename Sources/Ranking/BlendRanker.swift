import Foundation
import LinearAlgebra
import PaperFeedCore

/// The personalized ranker: content similarity, collaborative ("readers like you"), category
/// affinity, upvote trend, read-rate feedback and freshness, combined either by the hand-set
/// weights of a `RankingConfiguration` or by a `LearnedRanker` fitted on the logged feedback;
/// papers the reader already read are excluded.
///
///     hand-set: score(u, c) = Σ_s w_s · z(s(u, c)) − penalty · [u skipped c]
///     learned:  score(u, c) = Σ_k w_k · (x_k(u, c) − μ_k) / σ_k
///
/// z(·) is the z-score over the candidates (content and collaborative per reader, over its whole
/// row, read papers included; the trend after log1p); a constant signal has z = 0. Readers
/// without a content profile (`ReaderHistory.isCold`) get `coldStartWeights` in the hand-set
/// blend. Both are computed by one kernel (`ScoringPlan`: an sgemm of reader queries against the
/// candidate columns, plus item terms and per-reader adjustments). Ties: higher score first, then
/// paper id ascending (byte order). Scores are Float32; the breakdown holds each signal's
/// contribution (they add up to the score up to Float rounding, < 1e-5).
///
/// With `diversity.enabled`, the top k·poolFactor are re-ordered by MMR and the listed score is
/// the MMR objective λ·score − (1 − λ)·max cos(item, earlier items), non-increasing down the
/// list, so a consumer that sorts by score (a TREC run file) keeps the diversified order.
///
/// Fit once per as-of time (`init`), then `recommend` one reader or `rank` many: both run the
/// same block code, and every value that reaches a list is computed canonically (fixed-order
/// dot products), so a reader's list is bit-for-bit the same whichever way, in whatever block,
/// on however many threads it was computed.
public struct BlendRanker: Sendable {
    public let configuration: RankingConfiguration
    /// The learned ranker used instead of the hand-set weights, when given.
    public let learned: LearnedRanker?
    public let space: TopicSpace
    public let asOf: Date
    /// Candidate rows in `space`, ordered by paper id.
    public let candidateRows: [Int]
    public let candidateIDs: [PaperID]
    let plan: ScoringPlan
    let candidateIndex: [PaperID: Int32]
    let histories: [UserID: ReaderHistory]
    /// The log replayed to as-of (learned ranker and collaborative signal), for per-reader state.
    let replay: LogReplay?
    /// Every reader with history before asOf, ordered by id.
    public let readers: [UserID]

    public init(configuration: RankingConfiguration, space: TopicSpace, snapshot: RankingSnapshot,
                seeds: [UserID: [Float]] = [:], learned: LearnedRanker? = nil) throws {
        self.configuration = configuration
        self.learned = learned
        self.space = space
        self.asOf = snapshot.asOf
        let windowStart = snapshot.asOf.addingTimeInterval(-configuration.candidates.windowDays * 86_400)
        var rows: [Int] = []
        var published: [PaperID: Date] = [:]
        var categories: [PaperID: [String]] = [:]
        for p in snapshot.papers {
            if let at = p.publishedAt { published[p.id] = at }
            if !p.categories.isEmpty { categories[p.id] = p.categories }
            guard let at = p.publishedAt, at > windowStart, at <= snapshot.asOf, let row = space.index[p.id] else { continue }
            rows.append(row)
        }
        candidateRows = rows
        candidateIDs = rows.map { space.ids[$0] }
        let contentColumns = space.gather(rows)
        var index: [PaperID: Int32] = [:]
        for (i, id) in candidateIDs.enumerated() { index[id] = Int32(i) }
        candidateIndex = index
        let n = rows.count, d = space.dimensions

        let contentSettings = learned?.settings.content ?? configuration.content
        let needsAudience = learned.map { $0.rawWeight(.collaborative) != 0 } ?? (configuration.weights.collaborative > 0)
        var replay: LogReplay? = nil
        if learned != nil || needsAudience {
            let log = EventLog(events: snapshot.events)
            let examination = learned?.settings.examination
                ?? (configuration.feedback.examination.isEmpty
                    ? Examination.estimate(log, maxPosition: configuration.feedback.maxPosition) : configuration.feedback.examination)
            var r = LogReplay(log: log, space: space, content: contentSettings, examination: examination,
                              categories: learned?.settings.categories, paperCategories: categories, trackAudience: needsAudience)
            r.advance(to: snapshot.asOf.timeIntervalSince1970)
            replay = r
        }
        self.replay = replay
        var audience: DenseMatrix? = nil
        if needsAudience, let r = replay {
            var values = [Float](repeating: 0, count: n * d)
            let shrinkage = learned?.settings.audienceShrinkage ?? configuration.collaborative.audienceShrinkage
            for (j, id) in candidateIDs.enumerated() {
                guard let p = r.log.paperIndex(id) else { continue }
                r.audience(p, shrinkage: shrinkage, into: &values[(j * d)..<((j + 1) * d)])
            }
            audience = DenseMatrix(rows: n, columns: d, values: values)
        }
        let trend = TrendScorer(configuration: learned?.settings.trend ?? configuration.trend, snapshot: snapshot)
        if let learned, let r = replay {
            let context = FeatureContext(replay: r, trend: trend, time: snapshot.asOf.timeIntervalSince1970,
                                         settings: learned.settings, published: published)
            plan = ScoringPlan.learned(learned, candidates: context.candidates(rows: rows, space: space, features: learned.features,
                                                                               categories: categories))
        } else {
            let feedback = FeedbackScorer(configuration: configuration.feedback, snapshot: snapshot)
            let t = candidateIDs.map { trend.score($0, publishedAt: published[$0]) }
            let f = candidateIDs.map { feedback.score($0) }
            let fr = candidateIDs.map { freshness(publishedAt: published[$0], asOf: snapshot.asOf, halfLifeDays: configuration.trend.halfLifeDays) }
            plan = ScoringPlan.handSet(configuration, content: contentColumns, audience: audience, trend: t, feedback: f, freshness: fr)
        }

        var byUser: [UserID: [Event]] = [:]
        for e in snapshot.events { byUser[e.user, default: []].append(e) }
        for u in seeds.keys where byUser[u] == nil { byUser[u] = [] }
        var histories: [UserID: ReaderHistory] = [:]
        for (u, events) in byUser {
            histories[u] = ReaderHistory(user: u, events: events, space: space, asOf: snapshot.asOf,
                                         configuration: contentSettings, seed: seeds[u])
        }
        self.histories = histories
        readers = histories.keys.sorted()
    }

    /// The history of a reader (an empty, cold one for an unknown reader).
    public func history(_ user: UserID) -> ReaderHistory {
        histories[user] ?? ReaderHistory(user: user, events: [], space: space, asOf: asOf,
                                         configuration: learned?.settings.content ?? configuration.content)
    }

    /// One reader's list with per-signal breakdown and, when `explain`, the history papers behind
    /// each item's content score.
    public func recommend(user: UserID, k: Int, explain: Bool = false) throws -> Recommendation {
        let ws = ScoringWorkspace(rows: 1, columns: plan.columns, candidates: candidateRows.count)
        let list = try BLAS.withThreads(1) { try scoreBlock([user][...], k: k, workspace: ws)[0] }
        let h = history(user)
        var because: [PaperID: [(paper: PaperID, contribution: Double)]] = [:]
        if explain, !h.isCold {
            for item in list.items {
                guard let c = candidateIndex[item.paper] else { continue }
                because[item.paper] = h.explain(candidateRow: candidateRows[Int(c)], space: space, limit: configuration.content.explainTop)
            }
        }
        return Recommendation(list: list, coldStart: h.isCold, candidates: candidateRows.count, because: because)
    }

    /// Readers per sgemm call in `rank` (default 256). sgemm re-packs the whole candidate matrix
    /// on every call, so larger blocks amortize it; the block's score matrix is rows × candidates
    /// floats per worker (51 MB for 256 × 50k). Lists do not depend on it: every listed value is
    /// recomputed canonically (see `scoreReader`), so `recommend` scores a block of one.
    public var blockRows = 256

    /// Lists for many readers, in the order given. Parallel over blocks of `blockRows` readers
    /// on `threads` workers (each with its own scratch), with BLAS on one thread meanwhile (no
    /// oversubscription).
    public func rank(users: [UserID], k: Int, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> [RankedList] {
        let size = max(1, blockRows)
        let blocks = stride(from: 0, to: users.count, by: size).map { $0..<min($0 + size, users.count) }
        guard !blocks.isEmpty else { return [] }
        let slots = ConcurrentSlots<[RankedList]>(count: blocks.count)
        let errors = ConcurrentSlots<Error>(count: blocks.count)
        let workers = max(1, min(threads, blocks.count))
        let (columns, n) = (plan.columns, candidateRows.count)
        BLAS.withThreads(1) {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let ws = ScoringWorkspace(rows: size, columns: columns, candidates: n)
                var b = w
                while b < blocks.count {
                    do { slots[b] = try scoreBlock(users[blocks[b]], k: k, workspace: ws) } catch { errors[b] = error }
                    b += workers
                }
            }
        }
        if let e = errors.first { throw e }
        return slots.values.flatMap { $0 ?? [] }
    }
}

/// One reader's recommendation with its explanation.
public struct Recommendation: Sendable {
    public var list: RankedList
    public var coldStart: Bool
    public var candidates: Int
    public var because: [PaperID: [(paper: PaperID, contribution: Double)]]
}

extension BLAS {
    /// Runs `body` with OpenBLAS on `count` threads, restoring the previous count afterwards.
    /// Serialized process-wide, since the thread count is global state.
    static func withThreads<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        blasThreadsLock.lock()
        defer { blasThreadsLock.unlock() }
        let previous = BLAS.threads
        if previous != count { BLAS.threads = count }
        defer { if previous != count { BLAS.threads = previous } }
        return try body()
    }
}

private let blasThreadsLock = NSRecursiveLock()
