import Foundation
import PaperFeedCore

/// Why a split is not valid (leakage or a malformed parameter). Messages say what to fix.
public enum SplitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A training event at or after its cut-off.
    case trainingAfterCutoff(user: String, paper: String, at: String, cutoff: String)
    /// A test event outside its window [cut-off, end).
    case testOutsideWindow(user: String, paper: String, at: String)
    /// A (reader, paper) positive in both training and test.
    case positiveInBoth(user: String, paper: String)
    /// A parameter out of range, or CTR lists that do not line up.
    case invalid(String)

    public var description: String {
        switch self {
        case let .trainingAfterCutoff(u, p, at, cutoff):
            return "split leaks: training event \(u) \(p) at \(at) is not before the cut-off \(cutoff)"
        case let .testOutsideWindow(u, p, at):
            return "split: test event \(u) \(p) at \(at) is outside the test window"
        case let .positiveInBoth(u, p):
            return "split leaks: \(u) \(p) is a positive in both training and test; drop it from test"
        case let .invalid(why):
            return "split: \(why)"
        }
    }
}

/// A train/test split of reader events at a cut-off (value type; build it with `temporal`,
/// `replayDays` or `lastN`, check it with `validate()`).
///
/// Conventions, the same for every kind:
/// * training = events with `at < cutoff(u)`; test = events with `cutoff(u) ≤ at < end`
///   (`end` = nil: no upper bound). `cutoff(u)` is `readerCutoffs[u]` when set (per-reader
///   splits), else `cutoff`.
/// * *positive* = an event whose kind is in `positiveKinds` (read, save, upvote by default).
/// * test events on a paper the reader already had as a positive in training are dropped, so
///   no (reader, paper) is a positive on both sides (a ranker excludes read papers anyway).
/// * the lists scored against `test` must be made **at the cut-off**, from data before it
///   only: vocabulary, IDF and SVD from papers published before it, trend from upvote
///   observations before it, profiles from `train` (see `RankingSnapshot`).
public struct EventSplit: Sendable, Hashable {
    public var cutoff: Date
    public var end: Date?
    /// Per-reader cut-offs (per-reader last-n); empty for global splits.
    public var readerCutoffs: [UserID: Date]
    public var positiveKinds: Set<EventKind>
    public var train: [Event]
    public var test: [Event]

    public static let defaultPositiveKinds: Set<EventKind> = [.read, .save, .upvote]

    public init(cutoff: Date, end: Date? = nil, readerCutoffs: [UserID: Date] = [:],
                positiveKinds: Set<EventKind> = EventSplit.defaultPositiveKinds, train: [Event], test: [Event]) {
        self.cutoff = cutoff
        self.end = end
        self.readerCutoffs = readerCutoffs
        self.positiveKinds = positiveKinds
        self.train = train
        self.test = test
    }

    /// The cut-off that applies to `user`.
    public func cutoff(for user: UserID) -> Date { readerCutoffs[user] ?? cutoff }

    /// Readers with at least one positive test event, byte order.
    public var testReaders: [UserID] {
        Set(test.lazy.filter { positiveKinds.contains($0.kind) }.map(\.user)).sorted()
    }

    /// (reader, paper) pairs that are positives in training.
    public var trainPositives: Set<Pair> {
        Set(train.lazy.filter { positiveKinds.contains($0.kind) }.map { Pair($0.user, $0.paper) })
    }

    /// A (reader, paper) key.
    public struct Pair: Hashable, Sendable {
        public var user: UserID
        public var paper: PaperID
        public init(_ user: UserID, _ paper: PaperID) {
            self.user = user
            self.paper = paper
        }
    }

    /// Throws the first violation of: training before the cut-off, test inside
    /// [cut-off, end), no (reader, paper) positive on both sides.
    public func validate() throws(SplitError) {
        if let end, end <= cutoff, readerCutoffs.isEmpty {
            throw .invalid("the test window ends (\(Timestamp.format(end))) at or before the cut-off (\(Timestamp.format(cutoff)))")
        }
        for e in train where e.at >= cutoff(for: e.user) {
            throw .trainingAfterCutoff(user: e.user.rawValue, paper: e.paper.rawValue, at: Timestamp.format(e.at),
                                       cutoff: Timestamp.format(cutoff(for: e.user)))
        }
        for e in test where e.at < cutoff(for: e.user) || (end.map { e.at >= $0 } ?? false) {
            throw .testOutsideWindow(user: e.user.rawValue, paper: e.paper.rawValue, at: Timestamp.format(e.at))
        }
        let positives = trainPositives
        for e in test where positiveKinds.contains(e.kind) && positives.contains(Pair(e.user, e.paper)) {
            throw .positiveInBoth(user: e.user.rawValue, paper: e.paper.rawValue)
        }
    }

    /// Judgments for the test window under `policy` (the lists made at the cut-off are scored
    /// against these).
    public func qrels(policy: JudgmentPolicy = .default) -> Qrels { policy.judgments(from: test) }

    /// Test events minus those on papers the reader already had as training positives.
    static func dropKnown(_ test: [Event], train: [Event], positiveKinds: Set<EventKind>) -> [Event] {
        let known = Set(train.lazy.filter { positiveKinds.contains($0.kind) }.map { Pair($0.user, $0.paper) })
        return test.filter { !known.contains(Pair($0.user, $0.paper)) }
    }
}
