import Foundation
import PaperFeedCore

/// A chronological replay of an event log that keeps, at every point in time, the state the
/// learned ranker's features are computed from: each reader's Rocchio profile, each paper's
/// position-corrected read statistics and audience vector, each reader's category counts, and
/// each (reader, paper) pair's history. `advance(to:)` applies every event strictly before a
/// time; the state then describes what was known at that time and nothing later.
///
/// Training reads the state at the start of each logged day (the features of an impression
/// shown on day D are what the nightly rerank of D could know); serving reads it at the as-of
/// time. One code path for both, so a feature means the same thing when it is learned and when
/// it is used.
///
/// **Profile** (the same Rocchio profile as `ReaderHistory`, accumulated event by event):
/// Σ w(kind)·2^((t − t_ref)/h)·e(paper), w = read/save/upvote/skip weights, an impression adding
/// `unreadImpression` until the reader reads that paper (then its impressions are cancelled and
/// later ones add nothing), h = `halfLifeDays`. Its direction does not depend on the reference
/// time, so no decay to "now" is needed; it is rebased when the scale grows past 2^400.
///
/// **Feedback statistics** (`FeedbackScorer`'s): per paper, E = Σ e(position of the pair's first
/// impression) over (reader, paper) pairs with an impression, R = the number of those pairs
/// with a positive (read, save or upvote) at any time before now.
///
/// **Audience** (the collaborative signal): when reader v first has a positive on paper c, v's
/// profile just before it *without any contribution of c itself* (unit length; nothing for a
/// reader without a usable profile) is added to A_c, and n_c += 1. The audience vector
/// a_c = A_c / (n_c + λ) describes who reads c (not what c is about), so p̂_u · a_c — "readers
/// like you read this" — carries information that c's own embedding does not: the readers of a
/// community reading what their community likes. λ (`audienceShrinkage`) shrinks papers with few
/// readers toward 0, the value of a paper nobody has read.
///
/// **Categories**: per reader, the number of positive papers in each category of the
/// vocabulary (a paper counts once in each of its categories; categories outside the
/// vocabulary pool into its last slot), and the same totals over all readers.
struct LogReplay {
    struct Pair {
        /// e(position) of the first impression; 0 when never shown.
        var examined: Float = 0
        var shown = false
        var positive = false
        var skipped = false
        /// Counted in the paper's R (shown and positive).
        var counted = false
        /// Time of the pair's first profile contribution and the contributions since, in units of
        /// 2^((t − massTime)/h): all of them (`mass`, for the audience's leave-one-out) and the
        /// unread impressions only (`impressionMass`, cancelled by a read).
        var massTime = 0.0
        var mass = 0.0
        var impressionMass = 0.0
    }

    let log: EventLog
    let space: TopicSpace
    /// Row of each interned paper in `space`, −1 when not in it.
    let spaceRow: [Int32]
    let content: RankingConfiguration.Content
    let examination: [Double]
    let categories: CategoryVocabulary?
    /// Per interned paper, its category slots (nil without a vocabulary).
    let paperCategories: [[Int32]]
    let trackAudience: Bool

    private(set) var next = 0
    private(set) var pairs: [UInt64: Pair] = [:]
    // Per reader.
    private var profileSlot: [Int32]
    private var profileTime: [Double]
    private var profileSums: [Double] = []
    private(set) var categoryCounts: [Float]
    private(set) var positiveCount: [Float]
    // Per paper.
    private(set) var reads: [Double]
    private(set) var examined: [Double]
    private(set) var audienceSlot: [Int32]
    private(set) var audienceSums: [Float] = []
    private(set) var audienceCount: [Float]
    // Totals.
    private(set) var totalReads = 0.0
    private(set) var totalExamined = 0.0
    private(set) var categoryTotals: [Float]
    private(set) var positiveTotal: Float = 0

    init(log: EventLog, space: TopicSpace, content: RankingConfiguration.Content, examination: [Double],
         categories: CategoryVocabulary?, paperCategories catalogue: [PaperID: [String]], trackAudience: Bool) {
        self.log = log
        self.space = space
        self.content = content
        self.examination = examination.isEmpty ? [1] : examination
        self.categories = categories
        self.trackAudience = trackAudience
        spaceRow = log.papers.map { space.index[$0].map(Int32.init) ?? -1 }
        paperCategories = categories.map { v in log.papers.map { v.slots(catalogue[$0] ?? []) } } ?? []
        let u = log.users.count, p = log.papers.count, g = categories?.count ?? 0
        profileSlot = [Int32](repeating: -1, count: u)
        profileTime = [Double](repeating: 0, count: u)
        categoryCounts = [Float](repeating: 0, count: u * g)
        positiveCount = [Float](repeating: 0, count: u)
        reads = [Double](repeating: 0, count: p)
        examined = [Double](repeating: 0, count: p)
        audienceSlot = [Int32](repeating: -1, count: p)
        audienceCount = [Float](repeating: 0, count: p)
        categoryTotals = [Float](repeating: 0, count: g)
    }

    @inline(__always) static func key(_ u: Int32, _ p: Int32) -> UInt64 { UInt64(UInt32(bitPattern: u)) << 32 | UInt64(UInt32(bitPattern: p)) }

    func pair(_ u: Int32, _ p: Int32) -> Pair? { pairs[Self.key(u, p)] }

    /// e(position): positions past the curve share its last value; unknown positions count 1.
    @inline(__always) func exam(_ position: Int32) -> Double {
        position >= 1 ? examination[min(Int(position), examination.count) - 1] : 1
    }

    /// Applies every event with time < `time`.
    mutating func advance(to time: Double) {
        while next < log.count, log.at[next] < time {
            apply(next)
            next += 1
        }
    }

    private mutating func apply(_ i: Int) {
        let u = log.user[i], p = log.paper[i], t = log.at[i], kind = log.kind[i]
        let key = Self.key(u, p)
        var pair = pairs[key] ?? Pair()
        let positive = EventLog.isPositive(kind)
        if positive, !pair.positive {
            if trackAudience { addAudience(reader: u, paper: p, pair: pair) }
            pair.positive = true
            if pair.shown, !pair.counted {
                reads[Int(p)] += 1
                totalReads += 1
                pair.counted = true
            }
            countCategories(reader: u, paper: p)
        }
        switch kind {
        case .impression:
            if !pair.shown {
                pair.shown = true
                let e = exam(log.position[i])
                pair.examined = Float(e)
                examined[Int(p)] += e
                totalExamined += e
                if pair.positive, !pair.counted {
                    reads[Int(p)] += 1
                    totalReads += 1
                    pair.counted = true
                }
            }
            if !pair.positive { addProfile(reader: u, paper: p, weight: content.unreadImpression, at: t, pair: &pair, impression: true) }
        case .read: addProfile(reader: u, paper: p, weight: content.read, at: t, pair: &pair, impression: false)
        case .save: addProfile(reader: u, paper: p, weight: content.save, at: t, pair: &pair, impression: false)
        case .upvote: addProfile(reader: u, paper: p, weight: content.upvote, at: t, pair: &pair, impression: false)
        case .skip:
            pair.skipped = true
            addProfile(reader: u, paper: p, weight: content.skip, at: t, pair: &pair, impression: false)
        }
        if positive, pair.impressionMass != 0 { cancelImpressions(reader: u, paper: p, pair: &pair) }
        pairs[key] = pair
    }

    // MARK: profiles

    private var halfLifeSeconds: Double { content.halfLifeDays * 86_400 }

    private mutating func addProfile(reader u: Int32, paper p: Int32, weight w: Double, at t: Double, pair: inout Pair, impression: Bool) {
        let row = spaceRow[Int(p)]
        guard row >= 0, w != 0, w.isFinite else { return }
        let d = space.dimensions
        var slot = profileSlot[Int(u)]
        if slot < 0 {
            slot = Int32(profileSums.count / max(d, 1))
            profileSlot[Int(u)] = slot
            profileTime[Int(u)] = t
            profileSums += [Double](repeating: 0, count: d)
        }
        var g = exp2((t - profileTime[Int(u)]) / halfLifeSeconds)
        if g > 0x1p400 {
            // Rebase: the profile's direction is unchanged by a common factor.
            let s = 1 / g
            let base = Int(slot) * d
            for j in 0..<d { profileSums[base + j] *= s }
            profileTime[Int(u)] = t
            g = 1
        }
        let base = Int(slot) * d, e = Int(row) * d
        let c = w * g
        space.embeddings.values.withUnsafeBufferPointer { emb in
            profileSums.withUnsafeMutableBufferPointer { sums in
                for j in 0..<d { sums[base + j] += c * Double(emb[e + j]) }
            }
        }
        if pair.mass == 0 && pair.impressionMass == 0 { pair.massTime = t }
        let m = w * exp2((t - pair.massTime) / halfLifeSeconds)
        pair.mass += m
        if impression { pair.impressionMass += m }
    }

    /// A read cancels the pair's earlier unread-impression contributions (`ReaderHistory`: an
    /// impression of a paper the reader read counts 0).
    private mutating func cancelImpressions(reader u: Int32, paper p: Int32, pair: inout Pair) {
        let row = spaceRow[Int(p)]
        defer {
            pair.mass -= pair.impressionMass
            pair.impressionMass = 0
        }
        guard row >= 0, profileSlot[Int(u)] >= 0 else { return }
        let d = space.dimensions
        let base = Int(profileSlot[Int(u)]) * d, e = Int(row) * d
        let c = pair.impressionMass * exp2((pair.massTime - profileTime[Int(u)]) / halfLifeSeconds)
        space.embeddings.values.withUnsafeBufferPointer { emb in
            profileSums.withUnsafeMutableBufferPointer { sums in
                for j in 0..<d { sums[base + j] -= c * Double(emb[e + j]) }
            }
        }
    }

    /// The reader's unit profile now, optionally without every contribution of one paper; nil
    /// when there is none (no event on a paper in the space, or they cancel out).
    func profile(_ u: Int32, excluding paper: Int32? = nil) -> [Float]? {
        let slot = profileSlot[Int(u)]
        guard slot >= 0 else { return nil }
        let d = space.dimensions
        let base = Int(slot) * d
        var v = Array(profileSums[base..<(base + d)])
        if let p = paper, let pair = pairs[Self.key(u, p)], pair.mass != 0, spaceRow[Int(p)] >= 0 {
            let c = pair.mass * exp2((pair.massTime - profileTime[Int(u)]) / halfLifeSeconds)
            let e = Int(spaceRow[Int(p)]) * d
            for j in 0..<d { v[j] -= c * Double(space.embeddings.values[e + j]) }
        }
        var norm = 0.0
        for x in v { norm += x * x }
        // Below this the profile is a cancellation residue, not a direction.
        guard norm.isFinite, norm > 1e-18 else { return nil }
        let s = 1 / norm.squareRoot()
        return v.map { Float($0 * s) }
    }

    // MARK: audience and categories

    private mutating func addAudience(reader u: Int32, paper p: Int32, pair: Pair) {
        audienceCount[Int(p)] += 1
        guard let v = profile(u, excluding: p) else { return }
        let d = space.dimensions
        var slot = audienceSlot[Int(p)]
        if slot < 0 {
            slot = Int32(audienceSums.count / max(d, 1))
            audienceSlot[Int(p)] = slot
            audienceSums += [Float](repeating: 0, count: d)
        }
        let base = Int(slot) * d
        for j in 0..<d { audienceSums[base + j] += v[j] }
    }

    /// a_c = A_c / (n_c + λ) into `out` (d floats); zeros for a paper nobody read.
    func audience(_ p: Int32, shrinkage: Double, into out: inout ArraySlice<Float>) {
        let d = space.dimensions
        let slot = audienceSlot[Int(p)]
        guard slot >= 0 else {
            for j in out.indices { out[j] = 0 }
            return
        }
        let s = Float(1 / (Double(audienceCount[Int(p)]) + shrinkage))
        let base = Int(slot) * d
        var j = out.startIndex
        for k in 0..<d {
            out[j] = audienceSums[base + k] * s
            j += 1
        }
    }

    private mutating func countCategories(reader u: Int32, paper p: Int32) {
        guard let v = categories else { return }
        positiveCount[Int(u)] += 1
        positiveTotal += 1
        let g = v.count
        for slot in paperCategories[Int(p)] {
            categoryCounts[Int(u) * g + Int(slot)] += 1
            categoryTotals[Int(slot)] += 1
        }
    }

    /// The reader's smoothed category shares s_u[g] = (n_ug + α·q_g) / (n_u + α), q_g = the
    /// share of all positives in category g, α = `prior`.
    func categoryShares(_ u: Int32?, prior alpha: Double, into out: inout ArraySlice<Float>) {
        guard let v = categories else { return }
        let g = v.count
        let total = Double(positiveTotal)
        let n = u.map { Double(positiveCount[Int($0)]) } ?? 0
        var j = out.startIndex
        for k in 0..<g {
            let q = total > 0 ? Double(categoryTotals[k]) / total : 0
            let nug = u.map { Double(categoryCounts[Int($0) * g + k]) } ?? 0
            out[j] = Float(n + alpha > 0 ? (nug + alpha * q) / (n + alpha) : 0)
            j += 1
        }
    }

    /// The paper's read rate (R + s·m) / (E + s), m = ΣR / ΣE, optionally without one reader's
    /// own pair (its first impression's e and its read): `FeedbackScorer`'s formula.
    func readRate(_ p: Int32, excluding u: Int32?, priorStrength s: Double) -> Double {
        var r = reads[Int(p)], e = examined[Int(p)]
        if let u, let pair = pairs[Self.key(u, p)], pair.shown {
            e -= Double(pair.examined)
            if pair.counted { r -= 1 }
        }
        let m = totalExamined > 0 ? totalReads / totalExamined : 0
        let denominator = e + s
        return denominator > 0 ? (r + s * m) / denominator : m
    }
}
