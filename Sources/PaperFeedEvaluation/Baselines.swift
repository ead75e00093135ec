import Foundation
import PaperFeedCore

/// A system under evaluation: ranks `candidates` for each reader, leaving out the reader's
/// `exclude` papers (their training positives), and keeps the best `k`.
///
/// Lists come back in the order of `users`; items best first, score descending, equal scores
/// by paper id ascending (PaperFeed's `RankedList` rule). Deterministic for fixed inputs.
public protocol CandidateRanker: Sendable {
    var name: String { get }
    func rank(users: [UserID], candidates: [PaperID], exclude: [UserID: Set<PaperID>], k: Int) throws -> [RankedList]
}

/// Uniformly random lists: for reader u, a Fisher–Yates shuffle of the candidates drawn from
/// `SeededGenerator(seed).derived(stableHash(u))`, first k non-excluded kept; score = k − rank + 1
/// (so the list order is the score order). Same seed → same lists, independent of the order or
/// subset of readers asked for. Expected recall@M over n candidates ≈ M / n.
public struct RandomRanker: CandidateRanker {
    public var name: String
    public var seed: UInt64
    public init(name: String = "random", seed: UInt64) {
        self.name = name
        self.seed = seed
    }

    public func rank(users: [UserID], candidates: [PaperID], exclude: [UserID: Set<PaperID>], k: Int) -> [RankedList] {
        let base = SeededGenerator(seed: seed)
        return users.map { user in
            var g = base.derived(user.rawValue.hashValueStable)
            var pool = candidates
            let skip = exclude[user] ?? []
            var items: [RankedItem] = []
            items.reserveCapacity(k)
            var i = 0
            while items.count < k && i < pool.count {
                let j = i + Int(g.next() % UInt64(pool.count - i))
                pool.swapAt(i, j)
                if !skip.contains(pool[i]) { items.append(RankedItem(paper: pool[i], score: 0)) }
                i += 1
            }
            for r in items.indices { items[r].score = Double(items.count - r) }
            return RankedList(user: user, items: items)
        }
    }
}

/// The same list for every reader, by a per-paper score (most recent: publication time;
/// most upvoted: upvotes known at the cut-off); papers without a score get `missing`.
/// Each reader's excluded papers are removed from the shared order.
public struct ItemScoreRanker: CandidateRanker {
    public var name: String
    public var scores: [PaperID: Double]
    public var missing: Double
    public init(name: String, scores: [PaperID: Double], missing: Double = -.infinity) {
        self.name = name
        self.scores = scores
        self.missing = missing
    }

    public func rank(users: [UserID], candidates: [PaperID], exclude: [UserID: Set<PaperID>], k: Int) -> [RankedList] {
        let scored = candidates.map { (paper: $0, score: scores[$0] ?? missing) }.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.paper < $1.paper
        }
        return users.map { user in
            let skip = exclude[user] ?? []
            var items: [RankedItem] = []
            for c in scored where !skip.contains(c.paper) {
                items.append(RankedItem(paper: c.paper, score: c.score.isFinite ? c.score : -1e300))
                if items.count == k { break }
            }
            return RankedList(user: user, items: items)
        }
    }
}

/// Rankers for the baselines that need only paper metadata.
public enum Baselines {
    /// Newest first: score = publication time (seconds since 1970); undated papers last.
    public static func mostRecent(_ papers: [Paper], name: String = "most-recent") -> ItemScoreRanker {
        var s: [PaperID: Double] = [:]
        for p in papers { if let at = p.publishedAt { s[p.id] = at.timeIntervalSince1970 } }
        return ItemScoreRanker(name: name, scores: s)
    }

    /// Most upvoted first: score = the last upvote count observed before the cut-off (the caller
    /// passes only observations before it — never `Paper.upvotes`, which is today's value).
    public static func mostUpvoted(_ observations: [UpvoteObservation], name: String = "most-upvoted") -> ItemScoreRanker {
        var last: [PaperID: (at: Double, n: Int)] = [:]
        for o in observations {
            let t = o.observedAt.timeIntervalSince1970
            if let old = last[o.paper], old.at > t { continue }
            last[o.paper] = (t, o.upvotes)
        }
        return ItemScoreRanker(name: name, scores: last.mapValues { Double($0.n) }, missing: 0)
    }
}
