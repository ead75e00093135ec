import Foundation
import PaperFeedCore

/// Position-corrected, Beta-smoothed read rate of each paper across all readers.
///
/// Position-based click model (Richardson et al. 2007; Joachims et al. 2017): a reader reads a
/// paper shown at position p with probability e(p) · r(paper), e being the probability that
/// position p is examined. e is configured, or estimated from the logs as
/// e(p) = readRate(p) / readRate(1), clamped to [0.01, 1] (read rate over all impressions at
/// p; positions past `maxPosition` pool with it). Impressions without a position (or with a
/// position below 1) count as e = 1; a position with no impressions, or no reads at position 1
/// at all, gets e = 1.
/// For each paper, with R reads among its impressions and E = Σ e(position) its expected
/// examinations, the score is the Beta posterior mean
///
///     feedback = (R + s·m) / (E + s)
///
/// where m = ΣR / ΣE over all papers (the global examined read rate) and s = `priorStrength`.
/// So a paper shown low (small e) is not punished: its few reads are divided by few examinations.
/// A paper never shown scores m. A read counts when the reader read, saved or upvoted the paper.
public struct FeedbackScorer: Sendable {
    public let examination: [Double]
    public let globalRate: Double
    private let stats: [PaperID: (reads: Double, examined: Double)]
    public let priorStrength: Double

    public init(configuration: RankingConfiguration.Feedback, snapshot: RankingSnapshot) {
        priorStrength = configuration.priorStrength
        // Bounded here too (a configuration built in code skips `problems()`): maxPosition Int.max
        // trapped, 1e9 allocated 23.6 GB.
        let maxP = min(max(1, configuration.maxPosition), RankingConfiguration.Limits.maxPosition)
        // Which (user, paper) pairs were read.
        var readPairs = Set<Pair>()
        for e in snapshot.events where e.kind == .read || e.kind == .save || e.kind == .upvote {
            readPairs.insert(Pair(user: e.user, paper: e.paper))
        }
        // Impressions per position, de-duplicated per (user, paper): the first impression counts.
        var seen = Set<Pair>()
        var impressions: [(paper: PaperID, position: Int?, read: Bool)] = []
        for e in snapshot.events where e.kind == .impression {
            let pair = Pair(user: e.user, paper: e.paper)
            guard seen.insert(pair).inserted else { continue }
            // A position below 1 is malformed input: treat it as unknown (e = 1).
            let position = e.position.flatMap { $0 >= 1 ? min($0, maxP) : nil }
            impressions.append((e.paper, position, readPairs.contains(pair)))
        }
        var e = configuration.examination
        if e.isEmpty {
            var shown = [Double](repeating: 0, count: maxP + 1), read = shown
            for imp in impressions {
                if let p = imp.position {
                    shown[p] += 1
                    if imp.read { read[p] += 1 }
                }
            }
            let top = shown[1] > 0 ? read[1] / shown[1] : 0
            e = (1...maxP).map { p in
                guard top > 0, shown[p] > 0 else { return 1 }
                return min(1, max(0.01, read[p] / shown[p] / top))
            }
        }
        if e.isEmpty { e = [1] }
        examination = e
        var stats: [PaperID: (Double, Double)] = [:]
        var totalR = 0.0, totalE = 0.0
        for imp in impressions {
            let ex = imp.position.map { e[min($0, e.count) - 1] } ?? 1
            let r = imp.read ? 1.0 : 0.0
            stats[imp.paper, default: (0, 0)].0 += r
            stats[imp.paper, default: (0, 0)].1 += ex
            totalR += r
            totalE += ex
        }
        self.stats = stats
        globalRate = totalE > 0 ? totalR / totalE : 0
    }

    public func score(_ paper: PaperID) -> Double {
        let s = stats[paper] ?? (0, 0)
        let denominator = s.examined + priorStrength
        return denominator > 0 ? (s.reads + priorStrength * globalRate) / denominator : globalRate
    }

    struct Pair: Hashable {
        var user: UserID
        var paper: PaperID
    }
}
