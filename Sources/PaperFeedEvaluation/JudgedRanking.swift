import Foundation
import PaperFeedCore

/// One reader's ranked list joined with the reader's judgments: what every metric reads.
///
/// Built once per reader and shared by all metrics, so the run is sorted and looked up in
/// the qrels only once.
public struct JudgedRanking: Sendable, Hashable {
    /// Grade of the paper at rank i+1 (0 when unjudged), in evaluation order.
    public var grades: [Int]
    /// Number of judged papers with grade ≥ the relevance threshold (ranked or not): R.
    public var relevantCount: Int
    /// Grades > 0 of all the reader's judged papers, descending (the ideal list of trec_eval).
    public var idealGrades: [Int]
    /// Relevance threshold used for the binary metrics.
    public var threshold: Int

    public init(grades: [Int], relevantCount: Int, idealGrades: [Int], threshold: Int = 1) {
        self.grades = grades
        self.relevantCount = relevantCount
        self.idealGrades = idealGrades
        self.threshold = threshold
    }

    /// Joins a list (already in evaluation order) with one reader's judgments.
    public init(ranked papers: [ScoredPaper], judgments: [PaperID: Int], threshold: Int = 1) {
        self.init(
            grades: papers.map { judgments[$0.paper] ?? 0 },
            relevantCount: judgments.values.reduce(0) { $1 >= threshold ? $0 + 1 : $0 },
            idealGrades: judgments.values.filter { $0 > 0 }.sorted(by: >), threshold: threshold)
    }

    @inline(__always) func isRelevant(_ grade: Int) -> Bool { grade >= threshold }

    /// Number of ranks a cut-off looks at.
    @inline(__always) func depth(_ k: Int?) -> Int { k.map { Swift.min($0, grades.count) } ?? grades.count }
}

/// 1 / log2(rank + 1) for rank = i + 1, tabulated for the first 4096 ranks.
enum Discount {
    static let table: [Double] = (0..<4096).map { 1 / log2(Double($0 + 2)) }
    @inline(__always) static func at(_ i: Int) -> Double {
        i < table.count ? table[i] : 1 / log2(Double(i + 2))
    }
}
