import PaperFeedCore

/// How reader events become graded relevance judgments (implicit feedback → qrels).
///
/// Each event kind has a grade; a reader's grade for a paper is the **maximum** over all the
/// reader's events on that paper, so a paper shown and then saved gets the save's grade, and a
/// paper skipped but later read gets the read's grade. A paper with any event for a reader is
/// *judged* for that reader (grade 0 = judged, not relevant); a paper the reader never saw
/// (no event at all) is *unjudged*, and every metric counts unjudged papers as not relevant
/// (trec_eval's convention). Defaults:
///
/// | event       | grade | meaning                          |
/// |-------------|-------|----------------------------------|
/// | impression  | 0     | shown, nothing else happened     |
/// | skip        | 0     | dismissed: judged, not relevant  |
/// | read        | 1     | opened: relevant                 |
/// | save        | 2     | strongly relevant                |
/// | upvote      | 2     | strongly relevant                |
public struct JudgmentPolicy: Sendable, Hashable, Codable {
    /// Grade of each event kind; kinds not listed are ignored (they neither judge nor grade).
    public var grades: [EventKind: Int]

    public init(grades: [EventKind: Int] = JudgmentPolicy.defaultGrades) { self.grades = grades }

    public static let defaultGrades: [EventKind: Int] = [
        .impression: 0, .skip: 0, .read: 1, .save: 2, .upvote: 2,
    ]
    public static let `default` = JudgmentPolicy()

    /// A copy with one kind's grade changed (`nil` removes the kind).
    public func with(_ kind: EventKind, grade: Int?) -> JudgmentPolicy {
        var copy = self
        copy.grades[kind] = grade
        return copy
    }

    /// Graded judgments from events: per (reader, paper), the maximum grade over its events.
    public func judgments(from events: [Event]) -> Qrels {
        var out: [UserID: [PaperID: Int]] = [:]
        for event in events {
            guard let grade = grades[event.kind] else { continue }
            out[event.user, default: [:]][event.paper] = Swift.max(out[event.user]?[event.paper] ?? grade, grade)
        }
        return Qrels(out)
    }
}

/// Graded judgments from events under `policy` (see `JudgmentPolicy`).
public func judgments(from events: [Event], policy: JudgmentPolicy = .default) -> Qrels {
    policy.judgments(from: events)
}
