import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

/// One bad-input kind per test, each asserting the exact `FILE:LINE: field:` prefix.
@Suite struct PaperParserTests {
    /// A file with one good line then `line`; returns the issues' descriptions.
    func issues(after line: String, format: PaperFormat = .jsonl) throws -> (String, [String], Int) {
        let good = #"{"id": "ok1", "title": "T", "abstract": "A", "published_at": "2025-03-18", "upvotes": 1}"#
        let path = try Support.write("p.jsonl", good + "\n" + line + "\n")
        let parsed = try PaperParser.parse(path: path, format: format, options: Support.options)
        return (path, parsed.issues.map(\.description), parsed.rows.count)
    }

    @Test func goodJSONLRow() throws {
        let line = #"{"id": "2503.1", "title": "T", "abstract": "A\nB", "authors": "X; Y", "published_at": "2025-03-18T10:00:00+02:00", "upvotes": 4, "categories": ["cs.CL", "cs.AI"], "organization": "Org"}"#
        let path = try Support.write("p.jsonl", line)
        let parsed = try PaperParser.parse(path: path, format: .jsonl, options: Support.options)
        #expect(parsed.issues.isEmpty)
        #expect(
            parsed.rows.first?.row
                == Paper(
                    id: "2503.1", title: "T", abstract: "A\nB", authors: ["X", "Y"],
                    publishedAt: Timestamp.parse("2025-03-18T08:00:00Z"), upvotes: 4, categories: ["cs.CL", "cs.AI"],
                    organization: "Org", source: "jsonl"))
    }

    @Test func truncatedJSONLine() throws {
        let (path, issues, rows) = try issues(after: #"{"id": "2503.9", "title": "Cut her"#)
        #expect(rows == 1)
        #expect(issues.count == 1)
        #expect(issues.first?.hasPrefix("\(path):2: line: truncated JSON") == true)
    }

    @Test func missingID() throws {
        let (path, issues, _) = try issues(after: #"{"title": "T", "abstract": "A"}"#)
        #expect(issues == ["\(path):2: id: missing"])
        let (path2, issues2, _) = try self.issues(after: #"{"id": " ", "title": "T", "abstract": "A"}"#)
        #expect(issues2 == ["\(path2):2: id: empty"])
    }

    @Test func emptyTitleAndAbstract() throws {
        let (path, issues, _) = try issues(after: #"{"id": "x", "title": "", "abstract": " "}"#)
        #expect(issues == ["\(path):2: title: title and abstract are both empty"])
    }

    @Test func unparseableTimestamp() throws {
        let (path, issues, _) = try issues(after: #"{"id": "x", "title": "T", "abstract": "A", "published_at": "March 3rd"}"#)
        #expect(issues == ["\(path):2: published_at: not an ISO 8601 date or date-time: \"March 3rd\""])
    }

    @Test func farFutureTimestamp() throws {
        let (path, issues, _) = try issues(after: #"{"id": "x", "title": "T", "abstract": "A", "published_at": "2030-01-01"}"#)
        #expect(issues.count == 1)
        #expect(issues.first?.hasPrefix("\(path):2: published_at: 2030-01-01T00:00:00Z is in the future") == true)
        // Within the tolerance (now + 2 days) is fine.
        let (_, ok, rows) = try self.issues(after: #"{"id": "y", "title": "T", "abstract": "A", "published_at": "2026-03-14T12:00:00Z"}"#)
        #expect(ok.isEmpty && rows == 2)
    }

    @Test func negativeUpvotes() throws {
        let (path, issues, _) = try issues(after: #"{"id": "x", "title": "T", "abstract": "A", "upvotes": -2}"#)
        #expect(issues == ["\(path):2: upvotes: negative count -2"])
    }

    @Test func nonNumericUpvotes() throws {
        let (path, issues, _) = try issues(after: #"{"id": "x", "title": "T", "abstract": "A", "upvotes": "lots"}"#)
        #expect(issues == ["\(path):2: upvotes: not a whole number: \"lots\""])
        let (path2, issues2, _) = try self.issues(after: #"{"id": "x", "title": "T", "abstract": "A", "upvotes": 2.5}"#)
        #expect(issues2 == ["\(path2):2: upvotes: not a whole number: \"2.5\""])
    }

    @Test func sameIDDifferentContent() throws {
        let (path, issues, rows) = try issues(after: #"{"id": "ok1", "title": "T2", "abstract": "A"}"#)
        #expect(rows == 1)
        #expect(issues == ["\(path):2: id: duplicate id with different content (first at line 1)"])
    }

    @Test func identicalRepeatIsKept() throws {
        let line = #"{"id": "ok1", "title": "T", "abstract": "A", "published_at": "2025-03-18", "upvotes": 1}"#
        let (_, issues, rows) = try issues(after: line)
        #expect(issues.isEmpty)
        #expect(rows == 2)
    }

    @Test func arxivListingLine() throws {
        let line = #"{"id": "2503.11677", "title": "Sim", "abstract": "Line one\nline two", "authors": ["A", "B"], "categories": ["cs.CV"], "comment": null, "first_listed": "2025-03-18", "listed_dates": ["2025-03-18"]}"#
        let path = try Support.write("a.jsonl", line + "\n")
        let parsed = try PaperParser.parse(path: path, format: .arxiv, options: Support.options)
        #expect(parsed.issues.isEmpty)
        let p = try #require(parsed.rows.first?.row)
        #expect(p.abstract == "Line one\nline two")
        #expect(p.publishedAt == Timestamp.date(year: 2025, month: 3, day: 18))
        #expect(p.upvotes == nil)
        #expect(p.source == "arxiv")
        #expect(p.categories == ["cs.CV"])
    }

    @Test func bundledArxivMonthParses() throws {
        let parsed = try PaperParser.parse(path: Support.data("arxiv/arxiv-2025-03.jsonl.gz"), format: .arxiv, options: Support.options)
        #expect(parsed.issues.isEmpty)
        #expect(parsed.rows.count == 2_327)
        #expect(parsed.rows.first?.row.id == "2503.11677")
        #expect(parsed.rows.first?.row.title == "Simulation of prosthetic vision with PRIMA system and enhancement of face representation")
    }
}
