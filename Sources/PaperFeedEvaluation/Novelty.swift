import Foundation
import PaperFeedCore

/// Paper popularity for novelty: the share of readers who interacted with each paper.
///
///     popularity(p) = (n_p + 1) / (N + 1)
///
/// n_p = readers with an interaction on p, N = readers with any interaction. The +1
/// (Laplace smoothing) keeps papers nobody touched finite (−log2 = log2(N+1)) and a paper
/// everyone touched at popularity 1 (novelty 0). Interactions are events of `kinds`
/// (default read, save, upvote: impressions and skips are not interest).
public struct Popularity: Sendable, Hashable {
    /// Readers per paper (n_p).
    public var readers: [PaperID: Int]
    /// Readers in total (N).
    public var totalReaders: Int

    public init(readers: [PaperID: Int], totalReaders: Int) {
        self.readers = readers
        self.totalReaders = totalReaders
    }

    public init(events: [Event], kinds: Set<EventKind> = [.read, .save, .upvote]) {
        var byPaper: [PaperID: Set<UserID>] = [:]
        var all = Set<UserID>()
        for e in events where kinds.contains(e.kind) {
            byPaper[e.paper, default: []].insert(e.user)
            all.insert(e.user)
        }
        self.init(readers: byPaper.mapValues(\.count), totalReaders: all.count)
    }

    /// From judgments: a reader interacted with a paper when its grade ≥ `threshold`.
    public init(qrels: Qrels, threshold: Int = 1) {
        var byPaper: [PaperID: Int] = [:]
        var total = 0
        for (_, papers) in qrels.judgments {
            var any = false
            for (paper, g) in papers where g >= threshold {
                byPaper[paper, default: 0] += 1
                any = true
            }
            if any { total += 1 }
        }
        self.init(readers: byPaper, totalReaders: total)
    }

    public func probability(_ paper: PaperID) -> Double {
        Double((readers[paper] ?? 0) + 1) / Double(totalReaders + 1)
    }
}

extension BeyondAccuracy {
    /// Novelty (mean self-information) of a run:
    ///
    ///     novelty(list) = (1/|L|) Σ_{p ∈ L} −log2 popularity(p),   run value = mean over readers
    ///
    /// L = the reader's first k papers; readers with empty lists are left out; 0 when no reader
    /// has a list. Zhou et al. (PNAS 2010) "novelty"; Vargas & Castells (RecSys 2011)
    /// popularity-based novelty. Higher means less popular papers are recommended.
    public static func novelty(
        _ run: Run, popularity: Popularity, cutoff: Int? = nil, tieBreak: TieBreak = .paperIDDescending
    ) -> Double {
        var total = 0.0
        var lists = 0
        for user in run.users {
            let items = run.ranked(user, tieBreak: tieBreak).prefix(cutoff ?? Int.max)
            guard !items.isEmpty else { continue }
            var s = 0.0
            for item in items { s += -log2(popularity.probability(item.paper)) }
            total += s / Double(items.count)
            lists += 1
        }
        return lists == 0 ? 0 : total / Double(lists)
    }
}
