import Foundation
import PaperFeedCore

/// A feature of the learned ranker. Every feature of a (reader u, paper c) pair is computed from
/// what was known at the feature time T (the start of the impression's day in training, the
/// as-of time when serving) by `LogReplay` and the trend scorer, then standardized over the
/// candidates at T (`CandidateStats`), so training and serving mean the same thing by it and a
/// weight means the same on a quiet day as on a busy one.
///
/// | feature | raw value, before the candidate-set z-score | kind |
/// |---|---|---|
/// | content | cos(p̂_u, e_c): the reader's Rocchio profile at T (events before T only, so an impression's own read is never in it) | reader × paper |
/// | collaborative | p̂_u · a_c: the audience vector of c (profiles of the readers who read c before T, each without c; `LogReplay`) | reader × paper |
/// | category | s_u · m_c: the reader's smoothed share of positives in c's categories (m_c spreads 1 over c's category slots) | reader × paper |
/// | trend | log1p(trend_c): the upvote trend at T (`TrendScorer`), log-compressed | paper |
/// | feedback | (R − r_u + s·m) / (E − e_u + s): c's position-corrected read rate without the reader's own impression and read | paper (+ reader's own pair) |
/// | freshness | 0.5^(age_c / h), h = the trend half-life | paper |
/// | seen | 1 when c was shown to u before T (and not read), else 0 (not standardized) | reader's own pair |
/// | skipped | 1 when u skipped c before T, else 0 (not standardized) | reader's own pair |
public enum RankerFeature: String, Sendable, Codable, CaseIterable, Hashable {
    case content, collaborative, category, trend, feedback, freshness, seen, skipped

    /// Features computed as a dot product of a reader vector and a paper vector (served by sgemm).
    public var isDotProduct: Bool { self == .content || self == .collaborative || self == .category }
    /// Features that depend on the reader's own history of the paper (served as per-reader
    /// adjustments of the few candidates the reader was shown before).
    public var isOwnPair: Bool { self == .seen || self == .skipped || self == .feedback }
}

/// The categories a learned ranker distinguishes: the `limit − 1` categories on most papers
/// (ties by name), then one slot "(other)" that pools the rest. A fixed, small vocabulary keeps
/// the category feature a dot product of `count` floats, served in the same sgemm as content.
public struct CategoryVocabulary: Sendable, Codable, Equatable {
    public static let other = "(other)"
    public let names: [String]
    private let index: [String: Int32]

    public init(names: [String]) {
        self.names = names
        var index: [String: Int32] = [:]
        for (i, n) in names.enumerated() where n != Self.other { index[n] = Int32(i) }
        self.index = index
    }

    /// The vocabulary of a catalogue: nil when no paper has a category.
    public static func build(_ categories: [[String]], limit: Int = 24) -> CategoryVocabulary? {
        var counts: [String: Int] = [:]
        for list in categories { for c in Set(list) { counts[c, default: 0] += 1 } }
        guard !counts.isEmpty, limit >= 2 else { return nil }
        let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit - 1).map(\.key)
        return CategoryVocabulary(names: top + (counts.count > top.count ? [other] : []))
    }

    public var count: Int { names.count }

    /// The distinct slots of a paper's categories, ascending (unknown ones → "(other)" when the
    /// vocabulary has it).
    func slots(_ categories: [String]) -> [Int32] {
        var out = Set<Int32>()
        let other = names.last == Self.other ? Int32(names.count - 1) : nil
        for c in categories {
            if let i = index[c] { out.insert(i) } else if let o = other { out.insert(o) }
        }
        return out.sorted()
    }

    /// m_c: 1 / |slots| on each of the paper's slots (zeros without a category).
    func paperVector(_ categories: [String], into out: inout ArraySlice<Float>) {
        for j in out.indices { out[j] = 0 }
        let s = slots(categories)
        guard !s.isEmpty else { return }
        let w = 1 / Float(s.count)
        for slot in s { out[out.startIndex + Int(slot)] = w }
    }

    enum CodingKeys: String, CodingKey { case names }
    public init(from decoder: any Decoder) throws {
        self.init(names: try decoder.container(keyedBy: CodingKeys.self).decode([String].self, forKey: .names))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(names, forKey: .names)
    }
    public static func == (a: CategoryVocabulary, b: CategoryVocabulary) -> Bool { a.names == b.names }
}

/// Buckets of the logged position, used only while learning (see `RankerLearner`): 1, 2, 3, 4,
/// 5, 6–7, 8–10, 11–15, 16–20, 21+, and "unknown". Bucket 0 (position 1) is the reference.
enum PositionBucket {
    static let labels = ["1", "2", "3", "4", "5", "6-7", "8-10", "11-15", "16-20", "21+", "unknown"]
    static var count: Int { labels.count }
    @inline(__always) static func of(_ position: Int32) -> Int {
        switch position {
        case ...0: 10
        case 1...5: Int(position) - 1
        case 6...7: 5
        case 8...10: 6
        case 11...15: 7
        case 16...20: 8
        default: 9
        }
    }
}
