import Foundation
import LinearAlgebra
import PaperFeedCore

/// The personalized ranker: a weighted blend of content similarity, upvote trend, read-rate
/// feedback and freshness, each min–max normalized over the candidate set, minus a penalty for
/// papers the reader skipped before; papers the reader already read are excluded.
///
///     score(u, c) = w_content · N_u(cos(profile_u, e_c)) + w_trend · N(trend_c)
///                 + w_feedback · N(feedback_c) + w_freshness · N(fresh_c) − penalty · [u skipped c]
///
/// N(x) = (x − min) / (max − min) over the candidates (0 when all equal; for N_u, when
/// max − min ≤ 1e-5, i.e. cosine rounding noise); N_u is taken over the reader's whole row,
/// read papers included. Readers without a content profile (`ReaderHistory.isCold`) use
/// `coldStartWeights`. Ties: higher score first, then paper id ascending (byte order). Scores are
/// Float32; the breakdown is per signal (weighted, normalized; they add up to the score).
///
/// With `diversity.enabled`, the top k·poolFactor are re-ordered by MMR and the listed score is
/// the MMR objective λ·score − (1 − λ)·max cos(item, earlier items), non-increasing down the
/// list, so a consumer that sorts by score (a TREC run file) keeps the diversified order.
///
/// Fit once per as-of time (`init`), then `recommend` one reader or `rank` many: both run the
/// same block code, and every value that reaches a list is a canonical (fixed-order) cosine, so
/// a reader's list is bit-for-bit the same whichever way, in whatever block, on however many
/// threads it was computed.
public struct BlendRanker: Sendable {
    public let configuration: RankingConfiguration
    public let space: TopicSpace
    public let asOf: Date
    /// Candidate rows in `space`, ordered by paper id.
    public let candidateRows: [Int]
    public let candidateIDs: [PaperID]
    let candidateMatrix: DenseMatrix
    /// Normalized item signals per candidate (trend, feedback, freshness).
    public let normalized: [Signal: [Float]]
    let normalizedTrend: [Float]
    let normalizedFeedback: [Float]
    let normalizedFreshness: [Float]
    let warmItemTerm: [Float]
    let coldItemTerm: [Float]
    let candidateIndex: [PaperID: Int32]
    let histories: [UserID: ReaderHistory]
    /// Every reader with history before asOf, ordered by id.
    public let readers: [UserID]

    public init(configuration: RankingConfiguration, space: TopicSpace, snapshot: RankingSnapshot,
                seeds: [UserID: [Float]] = [:]) throws {
        self.configuration = configuration
        self.space = space
        self.asOf = snapshot.asOf
        let windowStart = snapshot.asOf.addingTimeInterval(-configuration.candidates.windowDays * 86_400)
        var rows: [Int] = []
        var published: [Date?] = []
        for p in snapshot.papers {
            guard let at = p.publishedAt, at > windowStart, at <= snapshot.asOf, let row = space.index[p.id] else { continue }
            rows.append(row)
            published.append(at)
        }
        candidateRows = rows
        candidateIDs = rows.map { space.ids[$0] }
        candidateMatrix = space.gather(rows)
        var index: [PaperID: Int32] = [:]
        for (i, id) in candidateIDs.enumerated() { index[id] = Int32(i) }
        candidateIndex = index

        let trend = TrendScorer(configuration: configuration.trend, snapshot: snapshot)
        let feedback = FeedbackScorer(configuration: configuration.feedback, snapshot: snapshot)
        let t = zip(candidateIDs, published).map { trend.score($0, publishedAt: $1) }
        let f = candidateIDs.map { feedback.score($0) }
        let fr = published.map { freshness(publishedAt: $0, asOf: snapshot.asOf, halfLifeDays: configuration.trend.halfLifeDays) }
        let nt = minMax(t), nf = minMax(f), nfr = minMax(fr)
        normalizedTrend = nt
        normalizedFeedback = nf
        normalizedFreshness = nfr
        normalized = [.trend: nt, .feedback: nf, .freshness: nfr]
        func itemTerm(_ w: RankingConfiguration.Weights) -> [Float] {
            (0..<rows.count).map { j in Float(w.trend) * nt[j] + Float(w.feedback) * nf[j] + Float(w.freshness) * nfr[j] }
        }
        warmItemTerm = itemTerm(configuration.weights)
        coldItemTerm = itemTerm(configuration.coldStartWeights)

        var byUser: [UserID: [Event]] = [:]
        for e in snapshot.events { byUser[e.user, default: []].append(e) }
        for u in seeds.keys where byUser[u] == nil { byUser[u] = [] }
        var histories: [UserID: ReaderHistory] = [:]
        for (u, events) in byUser {
            histories[u] = ReaderHistory(user: u, events: events, space: space, asOf: snapshot.asOf,
                                         configuration: configuration.content, seed: seeds[u])
        }
        self.histories = histories
        readers = histories.keys.sorted()
    }

    /// The history of a reader (an empty, cold one for an unknown reader).
    public func history(_ user: UserID) -> ReaderHistory {
        histories[user] ?? ReaderHistory(user: user, events: [], space: space, asOf: asOf, configuration: configuration.content)
    }

    /// One reader's list with per-signal breakdown and, when `explain`, the history papers behind
    /// each item's content score.
    public func recommend(user: UserID, k: Int, explain: Bool = false) throws -> Recommendation {
        let ws = ScoringWorkspace(rows: 1, dimensions: space.dimensions, candidates: candidateRows.count)
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
        let (d, n) = (space.dimensions, candidateRows.count)
        BLAS.withThreads(1) {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let ws = ScoringWorkspace(rows: size, dimensions: d, candidates: n)
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

/// (x − min) / (max − min) over the finite values; all zeros when they are all equal (or none is
/// finite); a non-finite value maps to 0.
func minMax(_ x: [Double]) -> [Float] {
    let finite = x.filter(\.isFinite)
    guard let lo = finite.min(), let hi = finite.max(), hi > lo else { return [Float](repeating: 0, count: x.count) }
    return x.map { $0.isFinite ? Float(($0 - lo) / (hi - lo)) : 0 }
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

