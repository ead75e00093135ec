import Foundation
import PaperFeedCore

/// A reader's history as the ranker uses it: the Rocchio profile in topic space, the papers to
/// exclude (read, saved, upvoted) and to demote (skipped), and the weighted positive papers
/// kept for explanations.
///
/// Profile (Rocchio 1971, with time decay):
///
///     profile = Σ_events  w(kind) · 0.5^(age / h) · embedding(paper)
///
/// w = read 1.0, save 1.5, upvote 1.5, skip −0.5, and −0.1 for an impression the reader never
/// read (all configurable); age = asOf − event time in days, h = `halfLifeDays`. Only events
/// before asOf (the snapshot guarantees it) and papers in the topic space contribute. A `seed`
/// vector (d floats, e.g. declared interests) is added before normalizing; a non-finite one is
/// ignored.
/// The content score of a candidate c is cos(profile, embedding(c)) = profile·e(c)/|profile|.
public struct ReaderHistory: Sendable {
    public let user: UserID
    /// Unit-length profile, or all zeros for a reader with no usable history (cold start).
    public let profile: [Float]
    /// Positive history papers with their weights, heaviest first (ties by id), for explanations.
    public let positives: [(paper: PaperID, row: Int, weight: Float)]
    public let read: Set<PaperID>
    public let skipped: Set<PaperID>
    /// Papers shown to the reader (an impression), read or not.
    public let shown: Set<PaperID>

    /// No content signal: the profile is all zeros (no events on papers in the space, no seed).
    /// Such a reader is ranked with `coldStartWeights`.
    public var isCold: Bool { profile.allSatisfy { $0 == 0 } }

    public init(user: UserID, events: [Event], space: TopicSpace, asOf: Date, configuration c: RankingConfiguration.Content,
                seed: [Float]? = nil) {
        self.user = user
        let d = space.dimensions
        var profile = [Float](repeating: 0, count: d)
        var read = Set<PaperID>(), skipped = Set<PaperID>(), shown = Set<PaperID>()
        for e in events where e.kind == .read || e.kind == .save || e.kind == .upvote { read.insert(e.paper) }
        var weights: [PaperID: Double] = [:]
        for e in events {
            let w: Double
            switch e.kind {
            case .read: w = c.read
            case .save: w = c.save
            case .upvote: w = c.upvote
            case .skip:
                w = c.skip
                skipped.insert(e.paper)
            case .impression:
                shown.insert(e.paper)
                w = read.contains(e.paper) ? 0 : c.unreadImpression
            }
            guard w != 0, w.isFinite else { continue }
            let age = max(0, asOf.timeIntervalSince(e.at) / 86_400)
            weights[e.paper, default: 0] += w * pow(0.5, age / c.halfLifeDays)
        }
        var positives: [(PaperID, Int, Float)] = []
        for (paper, w) in weights.sorted(by: { $0.key < $1.key }) {
            guard let row = space.index[paper] else { continue }
            let base = row * d
            for j in 0..<d { profile[j] += Float(w) * space.embeddings.values[base + j] }
            if w > 0 { positives.append((paper, row, Float(w))) }
        }
        if let seed, seed.count == d, seed.allSatisfy(\.isFinite) {
            for j in 0..<d { profile[j] += seed[j] }
        }
        var norm: Float = 0
        for x in profile { norm += x * x }
        if norm.isFinite, norm > 0 {
            let s = 1 / norm.squareRoot()
            for j in 0..<d { profile[j] *= s }
        } else {
            profile = [Float](repeating: 0, count: d)  // nothing usable (or overflow): no content signal
        }
        self.profile = profile
        self.positives = positives.sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.0 < $1.0 }.map { (paper: $0.0, row: $0.1, weight: $0.2) }
        self.read = read
        self.skipped = skipped
        self.shown = shown
    }

    /// The history papers that contribute most to a candidate's content score:
    /// contribution = weight · cos(history paper, candidate), top `limit`, positive only.
    public func explain(candidateRow: Int, space: TopicSpace, limit: Int) -> [(paper: PaperID, contribution: Double)] {
        let d = space.dimensions
        let c = space.embeddings.values[(candidateRow * d)..<((candidateRow + 1) * d)]
        var out: [(PaperID, Double)] = []
        for p in positives {
            let s = dot(space.embeddings.values[(p.row * d)..<((p.row + 1) * d)], c)
            if s > 0 { out.append((p.paper, Double(p.weight * s))) }
        }
        out.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return out.prefix(limit).map { (paper: $0.0, contribution: $0.1) }
    }
}
