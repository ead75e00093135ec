import Foundation
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
///   without replacement from the top M = `poolFactor`·L, in random order. The logged
///   propensity of the paper at position p is P(paper at p) = (1 − ε)·[it is p-th in the trend
///   order] + ε / M for papers in the pool, exact for this policy.
/// - Position p is examined with probability e(p) = p^(−η) (η = `examinationExponent`).
/// - An examined paper is read with probability
///   clamp(base + slope · max_i cos(interest_i, paper) + popularity · log1p(upvotes)/log1p(maxUpvotes), 0, 0.95),
///   otherwise skipped; a read is saved with probability `saveRate` and upvoted with `upvoteRate`.
/// - Hidden relevance (qrels): for each reader and each of that day's papers, grade 2
///   when the read probability given examination is ≥ 0.5, 1 when ≥ 0.25, else not written.
/// The same seed gives the same bytes: readers and days are visited in order, each reader-day
/// with its own derived generator.
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
        public var base = -0.15
        public var slope = 1.1
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
        var events: [Event] = []
        var qrels: [(UserID, PaperID, Int)] = []
        for day in 0..<c.days {
            let dayStart = firstDay.addingTimeInterval(Double(day) * 86_400)
            let dayEnd = dayStart.addingTimeInterval(86_400)
            let todays = papers.filter { p in p.publishedAt.map { $0 >= dayStart && $0 < dayEnd } ?? false }.filter { space.index[$0.id] != nil }
            guard !todays.isEmpty else { continue }
            let snapshot = RankingSnapshot(asOf: dayEnd, papers: papers, events: [], observations: observations)
            let trend = TrendScorer(configuration: RankingConfiguration.Trend(), snapshot: snapshot)
            let ordered = todays.map { ($0, trend.score($0.id, publishedAt: $0.publishedAt)) }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.id < $1.0.id }.map(\.0)
            let L = min(c.listLength, ordered.count)
            let M = min(ordered.count, c.poolFactor * c.listLength)
            for reader in readers {
                var g = SeededGenerator(seed: c.seed).derived(UInt64(day) << 32 | UInt64(readers.count)).derived(UInt64(reader.id.rawValue.hashValueStable))
                func readProbability(_ p: RankingSnapshot.PaperInfo) -> Double {
                    let row = space.index[p.id]!
                    let e = space.embeddings.values[(row * d)..<((row + 1) * d)]
                    let sim = reader.interests.map { Double(zip($0, e).reduce(Float(0)) { $0 + $1.0 * $1.1 }) }.max() ?? 0
                    let pop = maxUp > 0 ? log1p(Double(p.upvotes ?? 0)) / log1p(maxUp) : 0
                    return min(0.95, max(0, c.base + c.slope * sim + c.popularity * pop))
                }
                for p in todays {
                    let rp = readProbability(p)
                    if rp >= 0.25 { qrels.append((reader.id, p.id, rp >= 0.5 ? 2 : 1)) }
                }
                guard g.nextUnit() < reader.activity else { continue }
                let explore = g.nextUnit() < c.epsilon
                var shown: [RankingSnapshot.PaperInfo]
                if explore {
                    var pool = Array(ordered.prefix(M))
                    for i in 0..<L {
                        let j = i + Int(g.next() % UInt64(pool.count - i))
                        pool.swapAt(i, j)
                    }
                    shown = Array(pool.prefix(L))
                } else {
                    shown = Array(ordered.prefix(L))
                }
                let listID = "sim-\(Timestamp.formatDay(dayStart))-\(reader.id.rawValue)"
                let visit = dayStart.addingTimeInterval(6 * 3600 + g.nextUnit() * 12 * 3600).timeIntervalSince1970.rounded(.down)
                for (i, p) in shown.enumerated() {
                    let position = i + 1
                    let inPool = ordered.prefix(M).contains { $0.id == p.id }
                    let greedyHere = ordered.count > i && ordered[i].id == p.id
                    let propensity = (1 - c.epsilon) * (greedyHere ? 1 : 0) + (inPool ? c.epsilon / Double(M) : 0)
                    let at = Date(timeIntervalSince1970: visit)
                    events.append(Event(user: reader.id, paper: p.id, kind: .impression, at: at, position: position, list: listID, propensity: propensity))
                    let examined = g.nextUnit() < pow(Double(position), -c.examinationExponent)
                    guard examined else { continue }
                    let t = Date(timeIntervalSince1970: visit + Double(30 * position) + (g.nextUnit() * 20).rounded(.down))
                    if g.nextUnit() < readProbability(p) {
                        events.append(Event(user: reader.id, paper: p.id, kind: .read, at: t, position: position, list: listID))
                        if g.nextUnit() < c.saveRate { events.append(Event(user: reader.id, paper: p.id, kind: .save, at: t.addingTimeInterval(60), position: position, list: listID)) }
                        if g.nextUnit() < c.upvoteRate { events.append(Event(user: reader.id, paper: p.id, kind: .upvote, at: t.addingTimeInterval(90), position: position, list: listID)) }
                    } else {
                        events.append(Event(user: reader.id, paper: p.id, kind: .skip, at: t, position: position, list: listID))
                    }
                }
            }
        }
        return Output(events: events, qrels: qrels.map { (user: $0.0, paper: $0.1, grade: $0.2) }, firstDay: firstDay,
                      lastDay: firstDay.addingTimeInterval(Double(max(c.days - 1, 0)) * 86_400))
    }
}

