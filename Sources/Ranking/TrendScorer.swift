import Foundation
import PaperFeedCore

/// Upvote trend of a paper at the as-of time.
///
/// Form (half-life decay of a Gamma–Poisson–smoothed upvote rate):
///
///     gain   = v(last obs) − v(last obs at or before asOf − W)      (votes gained in the window W)
///     days   = t(last obs) − t(that earlier obs)                    (exposure, in days)
///     with one observation only (or none before the window):
///     gain   = v(last obs), days = age of the paper at that observation (≥ 1/24 day)
///     rate   = (gain + α·μ) / (days + α)                            (posterior mean, Gamma prior)
///     trend  = rate · 0.5^(age / h)                                 (age = asOf − published)
///
/// μ is the mean rate (Σ gain / Σ days) over all papers with observations, α = `priorDays`,
/// h = `halfLifeDays`, W = `windowDays`. A paper without observations gets rate = μ (the prior).
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
        self.configuration = configuration
        self.asOf = snapshot.asOf
        let published = Dictionary(uniqueKeysWithValues: snapshot.papers.map { ($0.id, $0.publishedAt) })
        var gains: [PaperID: (Double, Double)] = [:]
        var i = 0
        let obs = snapshot.observations
        let windowStart = snapshot.asOf.addingTimeInterval(-configuration.windowDays * 86_400)
        while i < obs.count {
            var j = i
            while j + 1 < obs.count && obs[j + 1].paper == obs[i].paper { j += 1 }
            let last = obs[j]
            // Latest observation at or before the window start, else none.
            var base: UpvoteObservation? = nil
            for k in stride(from: j - 1, through: i, by: -1) where obs[k].observedAt <= windowStart {
                base = obs[k]
                break
            }
            if base == nil, j > i { base = obs[i] }  // all inside the window: gain since the first one
            if let b = base, last.observedAt > b.observedAt {
                gains[last.paper] = (Double(max(0, last.upvotes - b.upvotes)), last.observedAt.timeIntervalSince(b.observedAt) / 86_400)
            } else {
                let pub = published[last.paper] ?? nil
                let age = pub.map { last.observedAt.timeIntervalSince($0) / 86_400 } ?? 1
                gains[last.paper] = (Double(last.upvotes), max(age, 1.0 / 24))
            }
            i = j + 1
        }
        let totalGain = gains.values.reduce(0) { $0 + $1.0 }
        let totalDays = gains.values.reduce(0) { $0 + $1.1 }
        self.priorRate = totalDays > 0 ? totalGain / totalDays : 0
        self.gains = gains
    }

    /// The smoothed rate (votes/day) before the age decay.
    public func rate(_ paper: PaperID) -> Double {
        guard let g = gains[paper] else { return priorRate }
        let alpha = configuration.priorDays
        return (g.gain + alpha * priorRate) / (g.days + alpha)
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
