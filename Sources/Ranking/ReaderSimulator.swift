import Foundation
import LinearAlgebra
import PaperFeedCore

/// Synthetic readers over real papers, for demos and for testing the evaluation harness. Every
/// output is marked synthetic: user ids start with `sim-`, list ids with `sim-`; the simulated
/// upvote observations are returned apart (`Output.observations`) for the caller to mark.
///
/// The world is built so that each signal of the blend carries information: content
/// (interests × papers), upvote trend (simulated upvotes, a rich-get-richer loop through the
/// logging policy) and position-corrected read rate (a latent paper appeal shared by all readers).
/// Model (all parameters in `Configuration`, defaults documented there):
/// - Reader u has 1–3 interests: unit vectors in topic space, each the embedding of a random
///   catalogue paper plus Gaussian noise (σ = `interestNoise`) renormalized; and an activity
///   level a_u ~ Uniform[`minActivity`, `maxActivity`], the chance of visiting on a given day.
///   A share `newReaderShare` of the readers sign up during the simulation, on a day drawn
///   uniformly from 1 … days − 1 (the others are there from day 0); a reader visits only from
///   the sign-up day on, so every replay day has cold readers with little or no history.
/// - Paper p has a latent appeal α_p ~ N(0, 1), drawn from the seed and the paper id alone
///   (the same for a paper whatever the rest of the catalogue).
/// - Feed: on the day starting at T (UTC midnight) the site lists the papers published in
///   (T − W days, T], W = `feedWindowDays` (as a Daily Papers page keeps a paper a few days);
///   the candidate window of an as-of evaluation at T is the same interval. W = 1 is the old
///   one-day feed for date-only (midnight) publication times.
/// - Upvote counts: n_p(t) = known_p(t) + simulated upvotes of p so far, where known_p(t) is the
///   latest real observation before t, else the store's count, else 0. At the end of each day
///   (T + 1 day − 1 s) every paper listed that day gets an observation with its cumulative
///   count n_p (also when unchanged: a listed paper without votes is evidence of a low rate
///   for the trend's smoothing). These are `Output.observations`, ordered by day then paper id.
/// - Logging policy: the feed ordered by the upvote trend (`TrendScorer`, default settings) as
///   of T, i.e. from real and simulated observations before the day starts (then paper id), and
///   shows the top L; with probability ε it instead shows L papers drawn uniformly without
///   replacement from the top M = max(L, min(feed size, `poolFactor`·L)), in random order. The
///   logged propensity of feed paper i at 1-based position p is
///   P(i at p) = (1 − ε)·[i is p-th in the trend order] + ε/M·[i is in the top M], exact.
/// - Position p is examined with probability e(p) = p^(−η) (η = `examinationExponent`).
/// - An examined paper is read with probability
///   r(u, p) = clamp(base + slope · max_i cos(interest_i, p) + appealWeight · α_p
///                   + communityAppealWeight · β_{p,g(u)}
///                   + popularity · min(1, log1p(n_p(T)) / log1p(`popularityScale`)), 0, 0.95)
///   (β_{p,g} ~ N(0, 1): community g's own taste for p, from the seed, p's id and g; 0 without
///   communities; see `communities`)
///   (n_p(T): the count at the start of the day), otherwise skipped; a read is saved with
///   probability `saveRate` and upvoted with `upvoteRate` (the upvote raises n_p).
/// - Daily hidden relevance (`dailyRelevance`): the grade of every listed paper on every day,
///   from that day's r(u, p) — what a ranking made at the start of the day is judged by when
///   readers' taste for popular papers makes relevance change as a paper collects upvotes.
/// - Hidden relevance (qrels), one judgment per (reader, paper) for every paper listed on some
///   simulated day: r(u, p) on the first day p is listed (before any simulated upvote of p);
///   grade 2 when ≥ 0.5, 1 when ≥ 0.25, else not written.
/// The same seed gives the same bytes: readers and days are visited in order, each reader-day
/// with its own derived generator. Cost per day: one trend pass over the observed papers and
/// one sgemm of all interests × the day's feed.
public struct ReaderSimulator: Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        public var readers = 200
        public var days = 30
        public var seed: UInt64 = 1
        /// L, papers shown per visit.
        public var listLength = 20
        public var epsilon = 0.2
        public var poolFactor = 3
        /// W: a paper is listed on the W days starting with its publication day.
        public var feedWindowDays = 3
        public var interestNoise = 0.3
        public var minActivity = 0.2
        public var maxActivity = 0.9
        public var examinationExponent = 0.8
        public var base = 0.02
        public var slope = 0.9
        /// Weight of the latent appeal α_p ~ N(0, 1): one standard deviation moves the read
        /// probability by 0.08. On the demo (128-dim model) the content term
        /// slope · max cos has a per-reader sd of 0.094 (`Output.contentSpread`), so content
        /// still dominates; at 0.12 appeal decides most hidden relevance and popularity
        /// baselines beat content-only.
        public var appealWeight = 0.08
        /// Share of readers who sign up during the simulated days (cold-start readers).
        public var newReaderShare = 0.25
        /// Reader communities (0: none). A community has 3 centre papers; each member's 1–3
        /// interests are centres of its community (plus the interest noise), so members share
        /// interests, and the community has a taste of its own for every paper, β_pg ~ N(0, 1),
        /// that no embedding shows: only co-reads carry it.
        public var communities = 0
        /// Weight of the community taste β_pg in the read probability.
        public var communityAppealWeight = 0.0
        /// Also record the hidden relevance of every listed paper on every day (`Output.dailyQrels`).
        public var dailyRelevance = false
        public var popularity = 0.1
        /// The count at which the popularity term saturates (log1p(n) / log1p(scale), at most 1).
        public var popularityScale = 100.0
        public var saveRate = 0.15
        public var upvoteRate = 0.1
        public init() {}
    }

    public struct Output: Sendable {
        public var events: [Event]
        public var qrels: [(user: UserID, paper: PaperID, grade: Int)]
        /// With `dailyRelevance`: the same grades for every (reader, day, paper listed that day),
        /// from r(u, p) on that day (the count n_p at the day's start): the relevance a ranking
        /// made at the start of that day is judged by, popularity included.
        public var dailyQrels: [(user: UserID, day: Date, paper: PaperID, grade: Int)] = []
        /// Simulated cumulative upvote counts, one per listed paper per day (see the model).
        public var observations: [UpvoteObservation]
        public var firstDay: Date
        public var lastDay: Date
        /// Spread of the read probability's terms over the papers one reader could be shown
        /// (first listing, before clamping), averaged over readers: the standard deviation of
        /// slope · max cos and of appealWeight · α_p. Says which term drives the hidden relevance.
        public var contentSpread = 0.0
        public var appealSpread = 0.0
    }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// Community g's taste β_pg ~ N(0, 1) for a paper: from the seed, the paper id and g only.
    public static func communityAppeal(_ paper: PaperID, community g: Int, seed: UInt64) -> Double {
        var r = SeededGenerator(seed: seed).derived(0x636F_6D6D_6170).derived(paper.rawValue.hashValueStable).derived(UInt64(g))
        return r.nextGaussian()
    }

    /// The latent appeal α_p ~ N(0, 1) of a paper: from the seed and the paper id only.
    public static func appeal(_ paper: PaperID, seed: UInt64) -> Double {
        var g = SeededGenerator(seed: seed).derived(0x6170_7065_616C).derived(paper.rawValue.hashValueStable)
        return g.nextGaussian()
    }

    /// Simulates `days` days ending the day before `end` (UTC midnight). `papers` need a date;
    /// only papers in `space` are listed. `observations` are the real upvote observations.
    public func run(space: TopicSpace, papers: [RankingSnapshot.PaperInfo], observations: [UpvoteObservation], end: Date) -> Output {
        let c = configuration
        let d = space.dimensions
        let endDay = (end.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        let firstDay = Date(timeIntervalSince1970: endDay - Double(max(c.days, 0)) * 86_400)
        let lastDay = firstDay.addingTimeInterval(Double(max(c.days - 1, 0)) * 86_400)
        guard !space.ids.isEmpty, d > 0, c.days > 0 else {
            return Output(events: [], qrels: [], observations: [], firstDay: firstDay, lastDay: lastDay)
        }
        let readers = makeReaders(space: space)
        // Built once for all days: the catalogue (listable papers by id), feeds, appeal.
        let catalogue = papers.filter { $0.publishedAt != nil && space.index[$0.id] != nil }.sorted { $0.id < $1.id }
        let (feeds, firstListed) = Self.feeds(catalogue, firstDay: firstDay, days: c.days, window: max(1, c.feedWindowDays))
        var published: [PaperID: Date] = [:]
        for p in papers { if let at = p.publishedAt { published[p.id] = at } }
        var appeal = [Double](repeating: 0, count: catalogue.count)
        for k in catalogue.indices where firstListed[k] != nil { appeal[k] = Self.appeal(catalogue[k].id, seed: c.seed) }
        var book = UpvoteBook(observations: observations, papers: papers)
        let popularityNorm = log1p(max(c.popularityScale, 1))
        // All interests stacked (reader r owns rows interestStart[r]..<interestStart[r + 1]).
        var interestStart = [0]
        var interestValues: [Float] = []
        for r in readers {
            for v in r.interests { interestValues += v }
            interestStart.append(interestStart[interestStart.count - 1] + r.interests.count)
        }
        let interests = DenseMatrix(rows: interestStart[interestStart.count - 1], columns: d, values: interestValues)
        var events: [Event] = []
        var qrels: [(UserID, PaperID, Int)] = []
        var daily: [(user: UserID, day: Date, paper: PaperID, grade: Int)] = []
        // Per reader: n, Σ and Σ² of the content and appeal terms over first listings.
        var spread = [[Double]](repeating: [0, 0, 0, 0, 0], count: readers.count)
        for day in 0..<c.days {
            let dayStart = firstDay.addingTimeInterval(Double(day) * 86_400)
            let feed = feeds[day].map { catalogue[$0] }
            guard !feed.isEmpty else { continue }
            // The policy sees only observations before the day starts.
            let trend = TrendScorer(configuration: RankingConfiguration.Trend(), asOf: dayStart, published: published, observations: book.groups())
            let policy = LoggingPolicy(feed: feed, trend: trend, configuration: c)
            let isNew = feeds[day].map { firstListed[$0] == day }
            let intrinsic = feeds[day].map { c.base + c.appealWeight * appeal[$0] }
            let taste: [[Double]] = c.communities > 0 && c.communityAppealWeight != 0
                ? feed.map { p in (0..<c.communities).map { c.communityAppealWeight * Self.communityAppeal(p.id, community: $0, seed: c.seed) } }
                : []
            let popularity = feed.map { c.popularity * min(1, log1p(Double(book.current($0.id, before: dayStart))) / popularityNorm) }
            // Read probability given examination, for every (reader, listed paper): one sgemm.
            let rows = feed.map { space.index[$0.id]! }
            let sims = (try? BLAS.gemm(interests, space.gather(rows), transposeB: true)) ?? DenseMatrix(zeros: interests.rows, feed.count)
            var readProbability = [Double](repeating: 0, count: feed.count)
            for (r, reader) in readers.enumerated() {
                for p in feed.indices {
                    var sim = -Float.infinity
                    for row in interestStart[r]..<interestStart[r + 1] { sim = max(sim, sims[row, p]) }
                    let community = taste.isEmpty || reader.community < 0 ? 0 : taste[p][reader.community]
                    let rp = min(0.95, max(0, intrinsic[p] + community + c.slope * Double(sim.isFinite ? sim : 0) + popularity[p]))
                    readProbability[p] = rp
                    if c.dailyRelevance, rp >= 0.25 { daily.append((reader.id, dayStart, feed[p].id, rp >= 0.5 ? 2 : 1)) }
                    guard isNew[p] else { continue }
                    if rp >= 0.25 { qrels.append((reader.id, feed[p].id, rp >= 0.5 ? 2 : 1)) }
                    let content = c.slope * Double(sim.isFinite ? sim : 0), a = intrinsic[p] - c.base
                    spread[r][0] += 1
                    spread[r][1] += content
                    spread[r][2] += content * content
                    spread[r][3] += a
                    spread[r][4] += a * a
                }
                guard day >= reader.joinDay else { continue }
                var g = SeededGenerator(seed: c.seed).derived(UInt64(day) << 32 | UInt64(readers.count)).derived(reader.id.rawValue.hashValueStable)
                guard g.nextUnit() < reader.activity else { continue }
                let shown = policy.list(&g)
                let listID = "sim-\(Timestamp.formatDay(dayStart))-\(reader.id.rawValue)"
                let visit = dayStart.addingTimeInterval(6 * 3600 + g.nextUnit() * 12 * 3600).timeIntervalSince1970.rounded(.down)
                let at = Date(timeIntervalSince1970: visit)
                for (i, p) in shown.enumerated() {
                    let position = i + 1
                    let paper = feed[p].id
                    events.append(Event(user: reader.id, paper: paper, kind: .impression, at: at, position: position, list: listID,
                                        propensity: policy.propensity(p, at: i)))
                    guard g.nextUnit() < pow(Double(position), -c.examinationExponent) else { continue }
                    let t = Date(timeIntervalSince1970: visit + Double(30 * position) + (g.nextUnit() * 20).rounded(.down))
                    if g.nextUnit() < readProbability[p] {
                        events.append(Event(user: reader.id, paper: paper, kind: .read, at: t, position: position, list: listID))
                        if g.nextUnit() < c.saveRate { events.append(Event(user: reader.id, paper: paper, kind: .save, at: t.addingTimeInterval(60), position: position, list: listID)) }
                        if g.nextUnit() < c.upvoteRate {
                            events.append(Event(user: reader.id, paper: paper, kind: .upvote, at: t.addingTimeInterval(90), position: position, list: listID))
                            book.upvote(paper)
                        }
                    } else {
                        events.append(Event(user: reader.id, paper: paper, kind: .skip, at: t, position: position, list: listID))
                    }
                }
            }
            // Visits end by 18:00 + 20 positions × 30 s + 110 s, before the day's observation.
            book.observe(feed.map(\.id), at: dayStart.addingTimeInterval(86_400 - 1))
        }
        var out = Output(events: events, qrels: qrels.map { (user: $0.0, paper: $0.1, grade: $0.2) }, observations: book.emitted,
                         firstDay: firstDay, lastDay: lastDay)
        out.dailyQrels = daily
        let measured = spread.filter { $0[0] > 1 }
        func sd(_ k: Int) -> Double {
            guard !measured.isEmpty else { return 0 }
            let v = measured.map { s in max(0, (s[k + 1] - s[k] * s[k] / s[0]) / (s[0] - 1)) }
            return (v.reduce(0, +) / Double(measured.count)).squareRoot()
        }
        out.contentSpread = sd(1)
        out.appealSpread = sd(3)
        return out
    }

    struct Reader { var id: UserID; var interests: [[Float]]; var activity: Double; var joinDay: Int; var community = -1 }

    /// Readers sim-u000…: interests and activity from one derived generator each.
    func makeReaders(space: TopicSpace) -> [Reader] {
        let c = configuration
        let d = space.dimensions
        let root = SeededGenerator(seed: c.seed)
        var readers: [Reader] = []
        let width = String(max(c.readers - 1, 1)).count
        // Community centres: 3 catalogue papers per community, from their own stream.
        let k = max(0, c.communities)
        let centres: [[Int]] = (0..<k).map { m in
            var g = root.derived(0x636F_6D6D << 16 | UInt64(m))
            return (0..<3).map { _ in Int(g.next() % UInt64(max(space.ids.count, 1))) }
        }
        for r in 0..<max(c.readers, 0) {
            var g = root.derived(UInt64(r))
            let count = 1 + Int(g.next() % 3)
            var interests: [[Float]] = []
            var community = -1
            if k > 0 {
                var m = root.derived(UInt64(r) | 1 << 41)
                community = Int(m.next() % UInt64(k))
            }
            for _ in 0..<count {
                let row = community >= 0 ? centres[community][Int(g.next() % 3)] : Int(g.next() % UInt64(max(space.ids.count, 1)))
                var v = (0..<d).map { space.embeddings.values[row * d + $0] + Float(c.interestNoise * g.nextGaussian() / Double(d).squareRoot()) }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 0 { v = v.map { $0 / norm } }
                interests.append(v)
            }
            let activity = c.minActivity + (c.maxActivity - c.minActivity) * g.nextUnit()
            // Sign-up day from its own stream, so interests and activity do not depend on it.
            var j = root.derived(UInt64(r) | 1 << 40)
            let joinDay = c.days > 1 && j.nextUnit() < c.newReaderShare ? 1 + Int(j.next() % UInt64(c.days - 1)) : 0
            let id = String(r)
            readers.append(Reader(id: UserID("sim-u" + String(repeating: "0", count: width - id.count) + id), interests: interests,
                                  activity: activity, joinDay: joinDay, community: community))
        }
        return readers
    }
}
