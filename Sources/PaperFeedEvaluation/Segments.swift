import Foundation
import PaperFeedCore

/// Reader segments for `Comparison.compare(_:segments:)`: segment name → readers.
///
/// `fromEvents` counts each reader's *activity events* — by default every kind except
/// `.impression` (being shown a paper is not something the reader did) — strictly before
/// `cutoff` (all events when `cutoff` is nil), and builds:
///
/// * `cold`: fewer than `coldThreshold` (default 5) activity events; `warm`: the others.
/// * `light`: count ≤ the median count; `heavy`: count > the median. The median is over all
///   segmented readers (the mean of the two middle counts for an even number), so with many
///   ties at the median `heavy` can be smaller than half.
///
/// `readers` adds readers who may have no event at all (count 0); the segmented readers are
/// those of `readers` plus every reader with an event.
public enum ReaderSegments {
    public static func fromEvents(
        _ events: [Event], cutoff: Date? = nil, coldThreshold: Int = 5, readers: Set<UserID> = [],
        activityKinds: Set<EventKind> = Set(EventKind.allCases).subtracting([.impression])
    ) -> [String: Set<UserID>] {
        var counts: [UserID: Int] = [:]
        for r in readers { counts[r] = 0 }
        for e in events {
            if counts[e.user] == nil { counts[e.user] = 0 }
            guard activityKinds.contains(e.kind), cutoff.map({ e.at < $0 }) ?? true else { continue }
            counts[e.user]! += 1
        }
        var segments: [String: Set<UserID>] = ["cold": [], "warm": [], "light": [], "heavy": []]
        let median = medianCount(Array(counts.values))
        for (user, n) in counts {
            segments[n < coldThreshold ? "cold" : "warm"]!.insert(user)
            segments[Double(n) <= median ? "light" : "heavy"]!.insert(user)
        }
        return segments
    }

    /// Median of integer counts (0 for none).
    static func medianCount(_ counts: [Int]) -> Double {
        guard !counts.isEmpty else { return 0 }
        let s = counts.sorted()
        return s.count % 2 == 1 ? Double(s[s.count / 2]) : Double(s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Segments from a reader → cluster assignment: `cluster-<id>` → readers.
    public static func fromClusters(_ clusters: [UserID: Int]) -> [String: Set<UserID>] {
        var out: [String: Set<UserID>] = [:]
        for (user, c) in clusters { out["cluster-\(c)", default: []].insert(user) }
        return out
    }
}
