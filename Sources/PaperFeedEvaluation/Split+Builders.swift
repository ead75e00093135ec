import Foundation
import PaperFeedCore

extension EventSplit {
    /// Global temporal split: train = events before `cutoff`, test = events at/after it and,
    /// with `horizon` (seconds), before `cutoff + horizon`. Events are ordered by
    /// (at, user, paper, kind) on both sides.
    public static func temporal(events: [Event], cutoff: Date, horizon: TimeInterval? = nil,
                                positiveKinds: Set<EventKind> = EventSplit.defaultPositiveKinds) throws(SplitError) -> EventSplit {
        if let horizon, !(horizon > 0) { throw .invalid("the horizon must be positive, got \(horizon) s") }
        let end = horizon.map { cutoff.addingTimeInterval($0) }
        let sorted = events.sorted(by: EventSplit.order)
        let train = sorted.filter { $0.at < cutoff }
        let test = sorted.filter { e in e.at >= cutoff && (end.map { e.at < $0 } ?? true) }
        return EventSplit(cutoff: cutoff, end: end, positiveKinds: positiveKinds, train: train,
                          test: dropKnown(test, train: train, positiveKinds: positiveKinds))
    }

    /// As-of replay: one split per UTC day `d` in `first...last` (day starts): training cut-off =
    /// the start of `d`, test = the events of `d` ([d, d + 1 day)). The caller builds the
    /// vocabulary, IDF, SVD, trend and profiles of day `d` only from data before `d`.
    public static func replayDays(events: [Event], first: Date, last: Date,
                                  positiveKinds: Set<EventKind> = EventSplit.defaultPositiveKinds) throws(SplitError) -> [EventSplit] {
        let start = dayStart(first), stop = dayStart(last)
        guard start <= stop else { throw .invalid("replay: the first day is after the last day") }
        let sorted = events.sorted(by: EventSplit.order)
        var out: [EventSplit] = []
        var day = start
        while day <= stop {
            let next = day.addingTimeInterval(86_400)
            let train = sorted.filter { $0.at < day }
            let test = sorted.filter { $0.at >= day && $0.at < next }
            out.append(EventSplit(cutoff: day, end: next, positiveKinds: positiveKinds, train: train,
                                  test: dropKnown(test, train: train, positiveKinds: positiveKinds)))
            day = next
        }
        return out
    }

    /// Per-reader last-n: for each reader with more than `n` distinct positive papers, the
    /// reader's cut-off is the time of the first of their last `n` positive papers (ordered
    /// by first positive time, then paper id); the reader's events at/after it are test, earlier
    /// ones training. Readers with ≤ `n` positive papers stay entirely in training (nothing
    /// to learn from otherwise). Ties at the cut-off time go to test, so a reader may hold
    /// out more than `n` papers when several share that instant.
    public static func lastN(events: [Event], n: Int,
                             positiveKinds: Set<EventKind> = EventSplit.defaultPositiveKinds) throws(SplitError) -> EventSplit {
        guard n >= 1 else { throw .invalid("last-n needs n ≥ 1, got \(n)") }
        let sorted = events.sorted(by: EventSplit.order)
        var firstPositive: [UserID: [PaperID: Date]] = [:]
        for e in sorted where positiveKinds.contains(e.kind) && firstPositive[e.user]?[e.paper] == nil {
            firstPositive[e.user, default: [:]][e.paper] = e.at
        }
        var cutoffs: [UserID: Date] = [:]
        for (user, papers) in firstPositive where papers.count > n {
            let ordered = papers.sorted { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }
            cutoffs[user] = ordered[ordered.count - n].value
        }
        let train = sorted.filter { e in cutoffs[e.user].map { e.at < $0 } ?? true }
        let test = sorted.filter { e in cutoffs[e.user].map { e.at >= $0 } ?? false }
        return EventSplit(cutoff: .distantFuture, readerCutoffs: cutoffs, positiveKinds: positiveKinds, train: train,
                          test: dropKnown(test, train: train, positiveKinds: positiveKinds))
    }

    /// Start of the UTC day containing `date`.
    public static func dayStart(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// (at, user, paper, kind) ascending.
    static func order(_ a: Event, _ b: Event) -> Bool {
        if a.at != b.at { return a.at < b.at }
        if a.user != b.user { return a.user < b.user }
        if a.paper != b.paper { return a.paper < b.paper }
        return a.kind < b.kind
    }
}
