import Foundation

/// A paper as PaperFeed stores it. Text may be empty for bag-of-words corpora
/// (their term counts live beside the paper, see `BagOfWordsDocument`).
public struct Paper: Sendable, Codable, Hashable {
    public var id: PaperID
    public var title: String
    public var abstract: String
    public var authors: [String]
    /// Publication or first-listing time; `nil` when the source gives none.
    public var publishedAt: Date?
    /// Upvote count as given by the source; `nil` means "unknown", not zero.
    public var upvotes: Int?
    public var categories: [String]
    public var organization: String?
    /// Where the record came from (`arxiv`, `dailypapers`, `jsonl`, `csv`, `corpus:NAME`).
    public var source: String

    public init(
        id: PaperID, title: String, abstract: String, authors: [String] = [], publishedAt: Date? = nil,
        upvotes: Int? = nil, categories: [String] = [], organization: String? = nil, source: String = ""
    ) {
        self.id = id
        self.title = title
        self.abstract = abstract
        self.authors = authors
        self.publishedAt = publishedAt
        self.upvotes = upvotes
        self.categories = categories
        self.organization = organization
        self.source = source
    }

    /// Text the topic model reads: title, a newline, abstract (the reference corpora's rule).
    public var text: String { title + "\n" + abstract }
}

/// One upvote count of a paper seen at a known time.
public struct UpvoteObservation: Sendable, Codable, Hashable {
    public var paper: PaperID
    public var observedAt: Date
    public var upvotes: Int
    public init(paper: PaperID, observedAt: Date, upvotes: Int) {
        self.paper = paper
        self.observedAt = observedAt
        self.upvotes = upvotes
    }
}

/// A document of a bag-of-words corpus (LDA-C): distinct term ids with their counts,
/// term ids ascending.
public struct BagOfWordsDocument: Sendable, Hashable {
    public var paper: PaperID
    public var termIDs: [Int32]
    public var counts: [Int32]
    public init(paper: PaperID, termIDs: [Int32], counts: [Int32]) {
        self.paper = paper
        self.termIDs = termIDs
        self.counts = counts
    }
}
