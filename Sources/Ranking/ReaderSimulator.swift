import Foundation
import LinearAlgebra
import PaperFeedCore

/// Synthetic readers over real papers, for demos and for testing the evaluation harness. Every
/// output is marked synthetic: user ids start with `sim-`, list ids with `sim-`.
///
/// Model (all parameters in `Configuration`, defaults documented there):
/// - Reader u has 1–3 interests: unit vectors in topic space, each the embedding of a random
///   catalogue paper plus Gaussian noise (σ = `interestNoise`) renormalized; and an activity
///   level a_u ~ Uniform[`minActivity`, `maxActivity`], the chance of visiting on a given day.
/// - Each simulated day the logging policy ranks that day's papers by upvote trend (then
///   paper id) and shows the top L; with probability ε it instead shows L papers drawn uniformly
///   without replacement from the top M = max(L, `poolFactor`·L) (at most the day's papers), in
///   random order. The trend is taken at the end of the day. The logged
///   propensity of the paper at position p is P(paper at p) = (1 − ε)·[it is p-th in the trend
///   order] + ε / M for papers in the pool, exact for this policy.
/// - Position p is examined with probability e(p) = p^(−η) (η = `examinationExponent`).
/// - An examined paper is read with probability
///   clamp(base + slope · max_i cos(interest_i, paper) + popularity · log1p(upvotes)/log1p(maxUpvotes), 0, 0.95),
///   otherwise skipped; a read is saved with probability `saveRate` and upvoted with `upvoteRate`.
/// - Hidden relevance (qrels): for each reader and each of that day's papers, grade 2
///   when the read probability given examination is ≥ 0.5, 1 when ≥ 0.25, else not written.
/// The same seed gives the same bytes: readers and days are visited in order, each reader-day
/// with its own derived generator. Cost per day: one trend pass over the observed papers (the
/// observations are grouped once) and one sgemm of all interests × the day's papers.
public struct ReaderSimulator: Sendable {
    public struct Configuration: Sendable, Codable, Equatable {
        public var readers = 200
        public var days = 30
        public var seed: UInt64 = 1
        public var listLength = 20
        public var epsilon = 0.2
        public var poolFactor = 3
        public var interestNoise = 0.3
        public var minActivity = 0.2
        public var maxActivity = 0.9
        public var examinationExponent = 0.8
        public var base = 0.02
        public var slope = 0.9
        public var popularity = 0.1
        public var saveRate = 0.15
        public var upvoteRate = 0.1
        public init() {}
    }

    public struct Output: Sendable {
        public var events: [Event]
        public var qrels: [(user: UserID, paper: PaperID, grade: Int)]
        public var firstDay: Date
        public var lastDay: Date
    }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// Simulates `days` days ending the day before `end` (UTC midnight). `papers` need a date;
    /// only papers in `space` are shown.
    public func run(space: TopicSpace, papers: [RankingSnapshot.PaperInfo], observations: [UpvoteObservation], end: Date) -> Output {
        let c = configuration
        let d = space.dimensions
        var root = SeededGenerator(seed: c.seed)
        guard !space.ids.isEmpty, d > 0 else {
            let day = Date(timeIntervalSince1970: (end.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
            return Output(events: [], qrels: [], firstDay: day, lastDay: day)
        }
        // Readers.
        struct Reader { var id: UserID; var interests: [[Float]]; var activity: Double }
        var readers: [Reader] = []
        let width = String(max(c.readers - 1, 1)).count
        for r in 0..<c.readers {
            var g = root.derived(UInt64(r))
            let count = 1 + Int(g.next() % 3)
            var interests: [[Float]] = []
            for _ in 0..<count {
                let row = Int(g.next() % UInt64(max(space.ids.count, 1)))
                var v = (0..<d).map { space.embeddings.values[row * d + $0] + Float(c.interestNoise * g.nextGaussian() / Double(d).squareRoot()) }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 0 { v = v.map { $0 / norm } }
                interests.append(v)
            }
            let activity = c.minActivity + (c.maxActivity - c.minActivity) * g.nextUnit()
            let id = String(r)
            readers.append(Reader(id: UserID("sim-u" + String(repeating: "0", count: width - id.count) + id), interests: interests, activity: activity))
        }
        _ = root.next()
        let endDay = (end.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        let firstDay = Date(timeIntervalSince1970: endDay - Double(c.days) * 86_400)
        let maxUp = Double(papers.compactMap(\.upvotes).max() ?? 0)
        // Built once for all days: papers per day, publication dates, observations per paper.
        var byDay = [[RankingSnapshot.PaperInfo]](repeating: [], count: max(c.days, 0))
        var published: [PaperID: Date] = [:]
        for p in papers.sorted(by: { $0.id < $1.id }) {
            guard let at = p.publishedAt else { continue }
            published[p.id] = at
            let day = Int((at.timeIntervalSince(firstDay) / 86_400).rounded(.down))
            if day >= 0, day < c.days, space.index[p.id] != nil { byDay[day].append(p) }
        }
        let sortedObservations = observations.sorted { $0.paper == $1.paper ? $0.observedAt < $1.observedAt : $0.paper < $1.paper }
        var groups: [ArraySlice<UpvoteObservation>] = []
        var i = 0
        while i < sortedObservations.count {
            var j = i + 1
            while j < sortedObservations.count && sortedObservations[j].paper == sortedObservations[i].paper { j += 1 }
            groups.append(sortedObservations[i..<j])
            i = j
        }
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
        for day in 0..<max(c.days, 0) {
            let dayStart = firstDay.addingTimeInterval(Double(day) * 86_400)
            let dayEnd = dayStart.addingTimeInterval(86_400)
            let todays = byDay[day]
            guard !todays.isEmpty else { continue }
            // The logging policy's order: trend at the end of the day, then paper id.
            let trend = TrendScorer(configuration: RankingConfiguration.Trend(), asOf: dayEnd, published: published, observations: groups)
            let scored = todays.indices.map { (i: $0, score: trend.score(todays[$0].id, publishedAt: todays[$0].publishedAt)) }
            let ordered = scored.sorted { $0.score != $1.score ? $0.score > $1.score : todays[$0.i].id < todays[$1.i].id }.map(\.i)
            var rankOf = [Int](repeating: 0, count: todays.count)
            for (r, i) in ordered.enumerated() { rankOf[i] = r }
            let L = min(c.listLength, ordered.count)
            let M = max(L, min(ordered.count, c.poolFactor * c.listLength))
            // Read probability given examination, for every (reader, paper of the day): one sgemm.
            let rows = todays.map { space.index[$0.id] ?? 0 }
            let sims = (try? BLAS.gemm(interests, space.gather(rows), transposeB: true)) ?? DenseMatrix(zeros: interests.rows, todays.count)
            let popularity = todays.map { maxUp > 0 ? log1p(Double($0.upvotes ?? 0)) / log1p(maxUp) : 0 }
            var readProbability = [Double](repeating: 0, count: todays.count)
            for (r, reader) in readers.enumerated() {
                for p in todays.indices {
                    var sim = -Float.infinity
                    for row in interestStart[r]..<interestStart[r + 1] { sim = max(sim, sims[row, p]) }
                    let rp = min(0.95, max(0, c.base + c.slope * Double(sim.isFinite ? sim : 0) + c.popularity * popularity[p]))
                    readProbability[p] = rp
                    if rp >= 0.25 { qrels.append((reader.id, todays[p].id, rp >= 0.5 ? 2 : 1)) }
                }
                var g = SeededGenerator(seed: c.seed).derived(UInt64(day) << 32 | UInt64(readers.count)).derived(reader.id.rawValue.hashValueStable)
                guard g.nextUnit() < reader.activity else { continue }
                var shown = Array(ordered.prefix(L))
                if g.nextUnit() < c.epsilon {
                    var pool = Array(ordered.prefix(M))
                    for i in 0..<L {
                        let j = i + Int(g.next() % UInt64(pool.count - i))
                        pool.swapAt(i, j)
                    }
                    shown = Array(pool.prefix(L))
                }
                let listID = "sim-\(Timestamp.formatDay(dayStart))-\(reader.id.rawValue)"
                let visit = dayStart.addingTimeInterval(6 * 3600 + g.nextUnit() * 12 * 3600).timeIntervalSince1970.rounded(.down)
                let at = Date(timeIntervalSince1970: visit)
                for (i, p) in shown.enumerated() {
                    let position = i + 1
                    let paper = todays[p].id
                    // P(this paper at this position) under the policy: greedy with 1 − ε, else a
                    // uniform random arrangement of the pool, where each pool paper is at p w.p. 1/M.
                    let propensity = (1 - c.epsilon) * (rankOf[p] == i ? 1 : 0) + (rankOf[p] < M ? c.epsilon / Double(M) : 0)
                    events.append(Event(user: reader.id, paper: paper, kind: .impression, at: at, position: position, list: listID, propensity: propensity))
                    guard g.nextUnit() < pow(Double(position), -c.examinationExponent) else { continue }
                    let t = Date(timeIntervalSince1970: visit + Double(30 * position) + (g.nextUnit() * 20).rounded(.down))
                    if g.nextUnit() < readProbability[p] {
                        events.append(Event(user: reader.id, paper: paper, kind: .read, at: t, position: position, list: listID))
                        if g.nextUnit() < c.saveRate { events.append(Event(user: reader.id, paper: paper, kind: .save, at: t.addingTimeInterval(60), position: position, list: listID)) }
                        if g.nextUnit() < c.upvoteRate { events.append(Event(user: reader.id, paper: paper, kind: .upvote, at: t.addingTimeInterval(90), position: position, list: listID)) }
                    } else {
                        events.append(Event(user: reader.id, paper: paper, kind: .skip, at: t, position: position, list: listID))
                    }
                }
            }
        }
        return Output(events: events, qrels: qrels.map { (user: $0.0, paper: $0.1, grade: $0.2) }, firstDay: firstDay,
                      lastDay: firstDay.addingTimeInterval(Double(max(c.days - 1, 0)) * 86_400))
    }
}

