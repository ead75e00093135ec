/// The parts a ranked item's score is made of, by the names used everywhere a score is
/// explained: `SignalBreakdown` keys, the JSONL `signals` object, the CSV columns, ranking
/// configurations and reports. Cases are declared in byte order of their names, so
/// `allCases` is also the order breakdowns are written in.
///
/// - content: similarity of the paper to the reader's history (topic space)
/// - collaborative: readers like this one read it (audience similarity)
/// - category: the reader's share of reads in the paper's categories
/// - trend, feedback, freshness: the paper's upvote trend, position-corrected read rate, age
/// - seen, skipped: the reader was shown the paper before / skipped it (learned ranker)
/// - skip_penalty: the hand-set blend's penalty for a skipped paper
/// - diversity: the MMR redundancy term (negative)
public enum Signal: String, Sendable, Codable, CaseIterable, Hashable {
    case category, collaborative, content, diversity, feedback, freshness, seen
    case skipPenalty = "skip_penalty"
    case skipped, trend

    /// The signal named `name`, or nil.
    public init?(name: String) { self.init(rawValue: name) }
    public var name: String { rawValue }
}
