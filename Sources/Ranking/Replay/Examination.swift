import Foundation

/// Position-based examination probabilities estimated from a log (`FeedbackScorer`'s model):
/// e(p) = readRate(p) / readRate(1), clamped to [0.01, 1], where readRate(p) is the share of
/// (reader, paper) pairs whose first impression was at position p that have a positive at any
/// time in the log. Positions past `maxPosition` pool with it; a position without impressions,
/// or a log without reads at position 1, gets e = 1.
enum Examination {
    static func estimate(_ log: EventLog, maxPosition: Int) -> [Double] {
        let maxP = min(max(1, maxPosition), 10_000)
        var positive = Set<UInt64>()
        for i in 0..<log.count where EventLog.isPositive(log.kind[i]) { positive.insert(LogReplay.key(log.user[i], log.paper[i])) }
        var seen = Set<UInt64>()
        var shown = [Double](repeating: 0, count: maxP + 1), read = shown
        for i in 0..<log.count where log.kind[i] == .impression {
            let key = LogReplay.key(log.user[i], log.paper[i])
            guard seen.insert(key).inserted, log.position[i] >= 1 else { continue }
            let p = min(Int(log.position[i]), maxP)
            shown[p] += 1
            if positive.contains(key) { read[p] += 1 }
        }
        let top = shown[1] > 0 ? read[1] / shown[1] : 0
        return (1...maxP).map { p in
            guard top > 0, shown[p] > 0 else { return 1 }
            return min(1, max(0.01, read[p] / shown[p] / top))
        }
    }
}
