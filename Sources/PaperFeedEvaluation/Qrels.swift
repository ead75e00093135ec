import PaperFeedCore

/// Graded relevance judgments: reader → paper → grade (the contents of a TREC qrels file).
///
/// A paper that appears for a reader is *judged*; grade ≤ 0 means judged not relevant, and
/// a paper absent for a reader is *unjudged* (treated as not relevant by every metric here,
/// as trec_eval does). Grades are integers, as in trec_eval.
public struct Qrels: Sendable, Hashable {
    public var judgments: [UserID: [PaperID: Int]]

    public init(_ judgments: [UserID: [PaperID: Int]] = [:]) { self.judgments = judgments }

    /// Readers with at least one judgment, in byte order.
    public var users: [UserID] { judgments.keys.sorted() }

    public subscript(user: UserID) -> [PaperID: Int]? {
        get { judgments[user] }
        set { judgments[user] = newValue }
    }

    /// The grade of `paper` for `user`, `nil` when unjudged.
    public func grade(user: UserID, paper: PaperID) -> Int? { judgments[user]?[paper] }

    /// Sets a grade (replacing any earlier one).
    public mutating func set(user: UserID, paper: PaperID, grade: Int) {
        judgments[user, default: [:]][paper] = grade
    }

    /// Total number of (user, paper) judgments.
    public var count: Int { judgments.values.reduce(0) { $0 + $1.count } }
}

/// One scored paper of a run.
public struct ScoredPaper: Sendable, Hashable, Codable {
    public var paper: PaperID
    public var score: Double
    public init(paper: PaperID, score: Double) {
        self.paper = paper
        self.score = score
    }
}

/// A system's output: reader → scored papers (the contents of a TREC run file).
///
/// The order of the stored items is the input order; evaluation re-sorts by score (see
/// `TieBreak`), so a TREC file's rank column is never used, as in trec_eval.
public struct Run: Sendable, Hashable {
    public var lists: [UserID: [ScoredPaper]]

    public init(_ lists: [UserID: [ScoredPaper]] = [:]) { self.lists = lists }

    /// A run from PaperFeed ranked lists (scores kept; pass `TieBreak.inputOrder` to evaluate
    /// them in the list's own order).
    public init(rankedLists: [RankedList]) {
        var lists: [UserID: [ScoredPaper]] = [:]
        for list in rankedLists {
            lists[list.user, default: []].append(
                contentsOf: list.items.map { ScoredPaper(paper: $0.paper, score: $0.score) })
        }
        self.lists = lists
    }

    /// Readers with a list, in byte order.
    public var users: [UserID] { lists.keys.sorted() }

    public subscript(user: UserID) -> [ScoredPaper]? {
        get { lists[user] }
        set { lists[user] = newValue }
    }

    /// Total number of (user, paper) entries.
    public var count: Int { lists.values.reduce(0) { $0 + $1.count } }

    /// The reader's items in evaluation order under `tieBreak`.
    public func ranked(_ user: UserID, tieBreak: TieBreak = .paperIDDescending) -> [ScoredPaper] {
        guard let items = lists[user] else { return [] }
        return tieBreak.order(items).map { items[$0] }
    }
}

/// How a run's items are ordered before evaluation: always by score descending, then by this rule.
public enum TieBreak: String, Sendable, Hashable, Codable, CaseIterable {
    /// trec_eval: equal scores ordered by paper id descending (byte order, like `strcmp`). Default.
    case paperIDDescending
    /// PaperFeed's `RankedList` rule: equal scores by paper id ascending (byte order).
    case paperIDAscending
    /// ranx: equal scores keep the order in which the items were given (stable sort).
    case inputOrder

    /// Indices of `items` in evaluation order. O(n) when the items are already in order.
    func order(_ items: [ScoredPaper]) -> [Int] {
        let n = items.count
        let before: (Int, Int) -> Bool
        switch self {
        case .paperIDDescending:
            before = { a, b in
                let sa = items[a].score, sb = items[b].score
                return sa != sb ? sa > sb : items[b].paper < items[a].paper
            }
        case .paperIDAscending:
            before = { a, b in
                let sa = items[a].score, sb = items[b].score
                return sa != sb ? sa > sb : items[a].paper < items[b].paper
            }
        case .inputOrder:
            before = { a, b in
                let sa = items[a].score, sb = items[b].score
                return sa != sb ? sa > sb : a < b
            }
        }
        var sorted = true
        if n > 1 {
            for i in 1..<n where before(i, i - 1) {
                sorted = false
                break
            }
        }
        let identity = Array(0..<n)
        return sorted ? identity : identity.sorted(by: before)
    }
}
