import Foundation

/// What a reader did with a paper.
public enum EventKind: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    /// The paper was shown in a list (at `position`).
    case impression
    /// The reader opened the paper.
    case read
    /// The reader dismissed the paper.
    case skip
    case upvote
    case save

    public static func < (a: EventKind, b: EventKind) -> Bool { a.rawValue < b.rawValue }
}

/// One user event. Identity (for de-duplication) is (user, paper, kind, at).
public struct Event: Sendable, Codable, Hashable {
    public var user: UserID
    public var paper: PaperID
    public var kind: EventKind
    public var at: Date
    /// 1-based position in the shown list, when known.
    public var position: Int?
    /// Id of the list that was shown, when known.
    public var list: String?
    /// Probability with which the logging policy showed this paper here (impressions only),
    /// used by off-policy estimators; `nil` when not logged.
    public var propensity: Double?

    public init(
        user: UserID, paper: PaperID, kind: EventKind, at: Date, position: Int? = nil, list: String? = nil,
        propensity: Double? = nil
    ) {
        self.user = user
        self.paper = paper
        self.kind = kind
        self.at = at
        self.position = position
        self.list = list
        self.propensity = propensity
    }
}
