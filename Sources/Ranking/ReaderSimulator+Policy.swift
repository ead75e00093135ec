import Foundation
import PaperFeedCore

extension ReaderSimulator {
    /// The logging policy of one day: the feed (papers listed that day, by id) ordered by the
    /// upvote trend as of the start of the day (then paper id); greedy top L with probability
    /// 1 − ε, else L papers drawn uniformly without replacement from the top M, in random order.
    struct LoggingPolicy {
        /// Feed indices in policy order.
        let ordered: [Int]
        /// rank[i] = 0-based position of feed paper i in `ordered`.
        let rank: [Int]
        let listLength: Int
        let poolSize: Int
        let epsilon: Double

        init(feed: [RankingSnapshot.PaperInfo], trend: TrendScorer, configuration c: Configuration) {
            let scores = feed.map { trend.score($0.id, publishedAt: $0.publishedAt) }
            ordered = feed.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : feed[$0].id < feed[$1].id }
            var rank = [Int](repeating: 0, count: feed.count)
            for (r, i) in ordered.enumerated() { rank[i] = r }
            self.rank = rank
            listLength = min(c.listLength, ordered.count)
            poolSize = max(listLength, min(ordered.count, c.poolFactor * c.listLength))
            epsilon = c.epsilon
        }

        /// One reader's list (feed indices); consumes the generator.
        func list(_ g: inout SeededGenerator) -> [Int] {
            guard g.nextUnit() < epsilon else { return Array(ordered.prefix(listLength)) }
            var pool = Array(ordered.prefix(poolSize))
            for i in 0..<listLength {
                let j = i + Int(g.next() % UInt64(pool.count - i))
                pool.swapAt(i, j)
            }
            return Array(pool.prefix(listLength))
        }

        /// P(feed paper i at 0-based position p) under the policy, exact: greedy with 1 − ε puts
        /// it there iff it is p-th in the trend order; a uniform random arrangement of the pool
        /// puts each pool paper at p with probability 1/M.
        func propensity(_ i: Int, at p: Int) -> Double {
            (1 - epsilon) * (rank[i] == p ? 1 : 0) + (rank[i] < poolSize ? epsilon / Double(poolSize) : 0)
        }
    }

    /// Feed of each simulated day: indices into `catalogue` (ordered by id) of the papers
    /// published in (T − W days, T], T the day's start (UTC midnight), W = `feedWindowDays`;
    /// and the first day each catalogue paper is listed (nil: never during the simulation).
    static func feeds(_ catalogue: [RankingSnapshot.PaperInfo], firstDay: Date, days: Int, window: Int) -> (byDay: [[Int]], firstListed: [Int?]) {
        var byDay = [[Int]](repeating: [], count: max(days, 0))
        var firstListed = [Int?](repeating: nil, count: catalogue.count)
        func start(_ d: Int) -> Date { firstDay.addingTimeInterval(Double(d) * 86_400) }
        for (k, p) in catalogue.enumerated() {
            guard let at = p.publishedAt else { continue }
            // The first day d with at ≤ T_d; exact comparisons settle rounding.
            var d = Int((at.timeIntervalSince(firstDay) / 86_400).rounded(.up))
            while at <= start(d - 1) { d -= 1 }
            while at > start(d) { d += 1 }
            for day in max(d, 0)..<max(min(d + window, days), max(d, 0)) where at > start(day).addingTimeInterval(-Double(window) * 86_400) {
                byDay[day].append(k)
                if firstListed[k] == nil { firstListed[k] = day }
            }
        }
        return (byDay, firstListed)
    }
}
