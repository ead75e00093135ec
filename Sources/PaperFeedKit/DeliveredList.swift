import Foundation
import PaperFeedCore
import PaperFeedIO

/// A stored list as it is delivered to a reader (`paperfeed lists`, `paperfeed export`): each
/// item with its rank, the paper's title, authors and link, the score and its breakdown, and
/// one line on why it is there. Built from the store one reader at a time.
public struct DeliveredList: Sendable, Codable, SchemaVersioned {
    public struct Item: Sendable, Codable {
        public var rank: Int
        public var paper: String
        public var title: String
        public var authors: [String]
        /// `https://arxiv.org/abs/ID` for arXiv ids; nil for ids without a public page (e.g. `dp-…`).
        public var link: String?
        public var published: String?
        public var score: Double
        /// Signal → weighted contribution (they add up to the score).
        public var breakdown: [String: Double]
        /// Why the paper is in the list, from the breakdown (`DeliveredList.why`).
        public var why: String
    }

    public var schemaVersion = Schema.version
    public var run: String
    public var asOf: String
    public var user: String
    public var items: [Item]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", run, asOf = "as_of", user, items
    }

    /// Calls `body` with every reader's delivered list of `run` (readers in byte order; only
    /// `user` when given). Throws when the run does not exist or is incomplete.
    public static func forEach(store: Store, run: RankRunInfo, user: String? = nil,
                               _ body: (DeliveredList) throws -> Void) throws {
        let asOf = Timestamp.format(run.asOf)
        let complete = try store.forEachList(run: run.id, users: user.map { [UserID($0)] }) { list in
            let papers = try store.paperSummaries(list.items.map(\.paper))
            let items = list.items.enumerated().map { i, item in
                let p = papers[item.paper]
                return Item(rank: i + 1, paper: item.paper.rawValue, title: p?.title ?? "", authors: p?.authors ?? [],
                            link: link(item.paper), published: p?.publishedAt.map(Timestamp.formatDay), score: item.score,
                            breakdown: item.signals.dictionary, why: why(item.signals))
            }
            try body(DeliveredList(run: run.id, asOf: asOf, user: list.user.rawValue, items: items))
        }
        if !complete { throw KitError.notFound("run \(run.id) is not complete; rerun paperfeed rerank to finish it") }
    }

    /// The run `reference` (`latest` or an id) of `store`, or an error saying what to do.
    public static func resolve(store: Store, reference: String) throws -> RankRunInfo {
        guard let info = try store.resolveRun(reference) else {
            throw KitError.notFound(reference == "latest"
                ? "\(store.path): no complete run; make one with paperfeed rerank (or paperfeed nightly)"
                : "\(store.path): no run \(reference); paperfeed lists --run latest shows the newest")
        }
        guard info.complete else { throw KitError.notFound("run \(info.id) is not complete; rerun paperfeed rerank to finish it") }
        return info
    }

    /// A paper's public page: arXiv ids (`2503.11677`, `2503.11677v2`, `hep-th/9901001`) link to
    /// `https://arxiv.org/abs/ID`; other ids have none.
    public static func link(_ id: PaperID) -> String? {
        let s = id.rawValue
        let modern = s.range(of: #"^\d{4}\.\d{4,5}(v\d+)?$"#, options: .regularExpression) != nil
        let old = s.range(of: #"^[a-z\-]+(\.[A-Z]{2})?/\d{7}(v\d+)?$"#, options: .regularExpression) != nil
        return modern || old ? "https://arxiv.org/abs/" + s : nil
    }

    /// Why an item is listed, from its breakdown: the signals with a positive contribution,
    /// largest first, each with what it means and its share of the score, e.g.
    /// `close to what you read (content 0.41), rising upvotes (trend 0.12)`; a skip penalty is
    /// named last, and so is a paper shown or skipped before (the learned ranker's seen and
    /// skipped terms, when they lower it). Ties in size go by signal name.
    public static func why(_ signals: SignalBreakdown) -> String {
        let meaning: [Signal: String] = [
            .content: "close to what you read", .collaborative: "read by readers like you", .category: "in your categories",
            .trend: "rising upvotes", .feedback: "often read by others", .freshness: "new",
            .seen: "shown to you before", .skipped: "you skipped it before"]
        let personal: Set<String> = ["skip_penalty", "seen", "skipped", "diversity"]
        let positive = signals.keys.filter { (signals[$0] ?? 0) > 0 && !personal.contains($0) }
            .sorted { (signals[$0]!, $1) > (signals[$1]!, $0) }
        var parts = positive.map { "\(Signal(rawValue: $0).flatMap { meaning[$0] } ?? $0) (\($0) \(String(format: "%.2f", signals[$0]!)))" }
        if let p = signals["skip_penalty"], p != 0 { parts.append("you skipped it before (\(String(format: "%.2f", p)))") }
        for s in [Signal.skipped, .seen] {
            if let v = signals[s], v < -0.005 { parts.append("\(meaning[s]!) (\(s.rawValue) \(String(format: "%.2f", v)))") }
        }
        return parts.isEmpty ? "no signal stood out (score 0)" : parts.joined(separator: ", ")
    }
}
