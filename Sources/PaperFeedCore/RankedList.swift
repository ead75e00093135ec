/// One entry of a ranked list, with the per-signal breakdown of its score.
public struct RankedItem: Sendable, Codable, Hashable {
    public var paper: PaperID
    public var score: Double
    /// Signal name → normalized, weighted contribution (they add up to `score`). A compact
    /// dictionary-like value (see `SignalBreakdown`), encoded as the same JSON object.
    public var signals: SignalBreakdown
    public init(paper: PaperID, score: Double, signals: SignalBreakdown = SignalBreakdown()) {
        self.paper = paper
        self.score = score
        self.signals = signals
    }

    public init(paper: PaperID, score: Double, signals: [String: Double]) {
        self.init(paper: paper, score: score, signals: SignalBreakdown(signals))
    }
}

/// A reader's list, best first. Ties in score are broken by paper id ascending (byte order).
public struct RankedList: Sendable, Codable, Hashable {
    public var user: UserID
    public var items: [RankedItem]
    public init(user: UserID, items: [RankedItem]) {
        self.user = user
        self.items = items
    }
}
