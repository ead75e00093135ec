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
/// N(x) = (x − min) / (max − min) over the candidates (0 when all equal); N_u is taken over the
/// reader's row. Readers without history use `coldStartWeights`. Ties: higher score first, then
/// paper id ascending (byte order). Scores are Float32; the breakdown is exact per signal.
///
/// Fit once per as-of time (`init`), then `recommend` one reader or `rank` many: both run the
/// same block code, so a reader's list is the same whichever way it was computed.
public struct BlendRanker: Sendable {
    public let configuration: RankingConfiguration
    public let space: TopicSpace
    public let asOf: Date
    /// Candidate rows in `space`, ordered by paper id.
    public let candidateRows: [Int]
    public let candidateIDs: [PaperID]
    let candidateMatrix: DenseMatrix
    /// Normalized item signals per candidate.
    public let normalized: [Signal: [Float]]
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
            guard let at = p.publishedAt, at >= windowStart, at < snapshot.asOf, let row = space.index[p.id] else { continue }
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
        let n: [Signal: [Float]] = [.trend: minMax(t), .feedback: minMax(f), .freshness: minMax(fr)]
        normalized = n
        func itemTerm(_ w: RankingConfiguration.Weights) -> [Float] {
            (0..<rows.count).map { j in
                Float(w.trend) * n[.trend]![j] + Float(w.feedback) * n[.feedback]![j] + Float(w.freshness) * n[.freshness]![j]
            }
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
        let list = try scoreBlock([user], k: k)[0]
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

    /// Lists for many readers, in the order given. Parallel over blocks of readers on
    /// `threads` threads with BLAS set to one thread meanwhile (no oversubscription).
    public func rank(users: [UserID], k: Int, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                     blockSize: Int = 64) throws -> [RankedList] {
        let blocks = stride(from: 0, to: users.count, by: blockSize).map { $0..<min($0 + blockSize, users.count) }
        let slots = Slots<[RankedList]>(count: blocks.count)
        let previous = BLAS.threads
        if threads > 1 { BLAS.threads = 1 }
        defer { BLAS.threads = previous }
        let errors = Slots<Error>(count: blocks.count)
        let workers = max(1, min(threads, blocks.count))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var b = w
            while b < blocks.count {
                do { slots[b] = try scoreBlock(Array(users[blocks[b]]), k: k) } catch { errors[b] = error }
                b += workers
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

/// (x − min) / (max − min); all zeros when the values are all equal.
func minMax(_ x: [Double]) -> [Float] {
    guard let lo = x.min(), let hi = x.max(), hi > lo else { return [Float](repeating: 0, count: x.count) }
    return x.map { Float(($0 - lo) / (hi - lo)) }
}

/// Fixed slots written from concurrent workers at distinct indices.
final class Slots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { lock.lock(); defer { lock.unlock() }; return storage[i] }
        set { lock.lock(); storage[i] = newValue; lock.unlock() }
    }
    var values: [T?] { lock.lock(); defer { lock.unlock() }; return storage }
    var first: T? { values.compactMap { $0 }.first }
}
