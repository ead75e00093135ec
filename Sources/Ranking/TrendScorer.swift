import Foundation
import PaperFeedCore

/// Upvote trend of a paper at the as-of time.
///
/// Form (half-life decay of a Gamma–Poisson–smoothed upvote rate):
///
///     gain   = v(last obs) − v(last obs at or before asOf − W)      (votes gained in the window W)
///     days   = t(last obs) − t(that earlier obs)                    (exposure, in days)
///     with no observation at or before asOf − W (one observation, or all inside the window):
///     gain   = v(last obs), days = age of the paper at that observation (≥ 1/24 day)
///     (an undated paper: gain since its first observation over the days since it, or, with a
///     single observation, gain = v, days = 1)
///     rate   = (gain + α·μ) / (days + α)                            (posterior mean, Gamma prior)
///     trend  = rate · 0.5^(age / h)                                 (age = asOf − published)
///
/// μ is the mean rate (Σ gain / Σ days) over all papers with observations, α = `priorDays`
/// (default 2), h = `halfLifeDays` (default 7), W = `windowDays` (default 7). A paper without
/// observations gets rate = μ (the prior). Upvotes count from 0 at publication, so a paper first
/// seen inside the window is credited with all its votes over its whole age.
/// The prior shrinks small samples: 3 votes in one hour do not beat 300 votes in ten days
/// (with α = 2, μ = 5/day: (3 + 10)/(0.04 + 2) ≈ 6.4 versus (300 + 10)/(10 + 2) ≈ 25.8).
/// Papers without a date use age 0 (no decay). Only observations before `asOf` are used.
public struct TrendScorer: Sendable {
    public let configuration: RankingConfiguration.Trend
    public let asOf: Date
    /// μ, the prior mean rate (votes per day).
    public let priorRate: Double
    private let gains: [PaperID: (gain: Double, days: Double)]

    public init(configuration: RankingConfiguration.Trend, snapshot: RankingSnapshot) {
        var published: [PaperID: Date] = [:]
        for p in snapshot.papers { if let at = p.publishedAt { published[p.id] = at } }
        var groups: [ArraySlice<UpvoteObservation>] = []
        let obs = snapshot.observations
        var i = 0
        while i < obs.count {
            var j = i + 1
            while j < obs.count && obs[j].paper == obs[i].paper { j += 1 }
            groups.append(obs[i..<j])
            i = j
        }
        self.init(configuration: configuration, asOf: snapshot.asOf, published: published, observations: groups)
    }

    /// Core: `observations` holds one slice per paper, each ordered by time; observations at or
    /// after `asOf` are ignored (found by binary search, so a caller can keep one grouping for many
    /// as-of times, as the simulator does).
    init(configuration: RankingConfiguration.Trend, asOf: Date, published: [PaperID: Date],
         observations: [ArraySlice<UpvoteObservation>]) {
        self.configuration = configuration
        self.asOf = asOf
        let windowStart = asOf.addingTimeInterval(-configuration.windowDays * 86_400)
        var gains: [PaperID: (Double, Double)] = [:]
        var totalGain = 0.0, totalDays = 0.0
        for group in observations {
            // Observations before asOf: group[group.startIndex..<end].
            var lo = group.startIndex, hi = group.endIndex
            while lo < hi {
                let mid = (lo + hi) / 2
                if group[mid].observedAt < asOf { lo = mid + 1 } else { hi = mid }
            }
            let end = lo
            guard end > group.startIndex else { continue }
            let last = group[end - 1]
            var base: UpvoteObservation? = nil
            for k in stride(from: end - 2, through: group.startIndex, by: -1) where group[k].observedAt <= windowStart {
                base = group[k]
                break
            }
            let pub = published[last.paper]
            var g: (Double, Double)
            if let b = base, last.observedAt > b.observedAt {
                g = (Double(max(0, last.upvotes - b.upvotes)), last.observedAt.timeIntervalSince(b.observedAt) / 86_400)
            } else if let pub {
                g = (Double(max(0, last.upvotes)), max(last.observedAt.timeIntervalSince(pub) / 86_400, 1.0 / 24))
            } else if let first = group.first, last.observedAt > first.observedAt {
                g = (Double(max(0, last.upvotes - first.upvotes)), last.observedAt.timeIntervalSince(first.observedAt) / 86_400)
            } else {
                g = (Double(max(0, last.upvotes)), 1)
            }
            gains[last.paper] = g
            totalGain += g.0
            totalDays += g.1
        }
        self.priorRate = totalDays > 0 ? totalGain / totalDays : 0
        self.gains = gains
    }

    /// The smoothed rate (votes/day) before the age decay.
    public func rate(_ paper: PaperID) -> Double {
        guard let g = gains[paper] else { return priorRate }
        let alpha = configuration.priorDays
        let denominator = g.days + alpha
        return denominator > 0 ? (g.gain + alpha * priorRate) / denominator : priorRate
    }

    /// The trend score of a paper published at `publishedAt`.
    public func score(_ paper: PaperID, publishedAt: Date?) -> Double {
        let age = publishedAt.map { max(0, asOf.timeIntervalSince($0) / 86_400) } ?? 0
        return rate(paper) * pow(0.5, age / configuration.halfLifeDays)
    }

    /// Whether any observation of the paper was seen.
    public func isObserved(_ paper: PaperID) -> Bool { gains[paper] != nil }
}

/// Freshness: 0.5^(age / h) with h the trend half-life; undated papers count as fresh.
public func freshness(publishedAt: Date?, asOf: Date, halfLifeDays: Double) -> Double {
    guard let p = publishedAt else { return 1 }
    return pow(0.5, max(0, asOf.timeIntervalSince(p) / 86_400) / halfLifeDays)
}
