import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

/// The mixed fixtures (described line by line in Fixtures/SOURCES.md), reused by the store's
/// end-to-end ingest tests.
@Suite struct MixedFixtureTests {
    @Test func papersMixed() throws {
        let path = Support.fixture("papers-mixed.jsonl")
        let parsed = try PaperParser.parse(path: path, format: .jsonl, options: Support.options)
        #expect(parsed.rows.map(\.line) == [1, 2, 11, 13])
        #expect(parsed.rows.map(\.row.id) == ["2503.00001", "2503.00002", "2503.00001", "2503.00013"])
        let prefixes = parsed.issues.map { "\($0.line): \($0.field)" }
        #expect(
            prefixes == [
                "3: id", "4: title", "5: published_at", "6: published_at", "7: upvotes", "8: upvotes", "9: line", "10: line",
                "12: id",
            ])
        #expect(parsed.issues.allSatisfy { $0.file == path })
        #expect(parsed.issues.last?.reason == "duplicate id with different content (first at line 2)")
        #expect(parsed.rows[1].row.authors == ["C. Three", "D. Four"])
        #expect(parsed.rows[1].row.organization == "Example Lab")
        #expect(parsed.rows[0].row.abstract == "An abstract.\nWith a hard break.")
    }

    @Test func eventsMixed() throws {
        let path = Support.fixture("events-mixed.jsonl")
        let parsed = try EventParser.parse(path: path, format: .jsonl, options: Support.options)
        #expect(parsed.rows.map(\.line) == [1, 2, 12])
        let first = try #require(parsed.rows.first?.row)
        let at = try #require(Timestamp.parse("2026-03-10T09:00:00Z"))
        #expect(first == Event(user: "u1", paper: "2503.00001", kind: .impression, at: at, position: 1, list: "L1", propensity: 0.5))
        #expect(parsed.rows[2].row.at == Timestamp.parse("2026-03-12T07:00:00Z"))
        let prefixes = parsed.issues.map { "\($0.line): \($0.field)" }
        #expect(
            prefixes == ["3: kind", "4: position", "5: position", "6: at", "7: at", "8: user", "9: paper", "10: line", "11: propensity"])
    }
}
