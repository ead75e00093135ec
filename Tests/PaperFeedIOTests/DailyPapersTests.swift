import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

@Suite struct DailyPapersTests {
    static let seed = Support.data("seed/dailypapers-000_bf214649806cd60e.txt")
    /// The seed page was saved on 2026-03-13 (its header shows "Mar 13").
    static var options: ParseOptions {
        ParseOptions(now: Support.now, listingDate: Timestamp.date(year: 2026, month: 3, day: 13))
    }

    func parseSeed() throws -> Parsed<Paper> {
        try PaperParser.parse(path: Self.seed, format: .dailypapers, options: Self.options)
    }

    func paper(_ parsed: Parsed<Paper>, titled prefix: String) throws -> Located<Paper> {
        try #require(parsed.rows.first { $0.row.title.hasPrefix(prefix) })
    }

    @Test func seedCounts() throws {
        let parsed = try parseSeed()
        #expect(parsed.issues.isEmpty)
        #expect(parsed.rows.count == 55)
        #expect(parsed.rows.filter { $0.row.publishedAt != nil }.count == 52)
        #expect(Set(parsed.rows.map(\.row.id)).count == 55)
        #expect(parsed.rows.allSatisfy { $0.row.source == "dailypapers" && $0.row.id.rawValue.hasPrefix("dp-") })
        #expect(parsed.rows.first?.line == 13)
        #expect(parsed.rows.first?.row.title == "Scalable Multi-Robot Collaboration with Large Language Models: Centralized or Decentralized Systems?")
    }

    @Test func entriesWithoutMetadata() throws {
        let parsed = try parseSeed()
        let undated = parsed.rows.filter { $0.row.publishedAt == nil }
        #expect(
            undated.map(\.row.title) == [
                "Value-Based Pre-Training with Downstream Feedback",
                "Improved Personalized Headline Generation via Denoising Fake Interests from Implicit Feedback",
                "RetroAgent: From Solving to Evolving via Retrospective Dual Intrinsic Feedback",
            ])
        for entry in undated {
            #expect(entry.row.upvotes == nil)
            #expect(entry.row.organization == nil)
            #expect(entry.row.authors.isEmpty)
            #expect(entry.row.abstract.count > 100)
        }
        let value = undated[0]
        #expect(value.row.id == "dp-aba031d4e932810c")
        #expect(value.line == 189)
        #expect(value.row.abstract.hasPrefix("Can a small amount of verified goal information steer"))
        // The entry after an undated one is parsed normally.
        let next = try paper(parsed, titled: "Sequential Recommendation for Optimizing Both Immediate")
        #expect(next.line == 193)
        #expect(next.row.publishedAt == Timestamp.date(year: 2024, month: 4, day: 4))
        #expect(next.row.upvotes == 0)
    }

    @Test func dateWithoutYear() throws {
        let parsed = try parseSeed()
        let cascaded = try paper(parsed, titled: "Modeling Cascaded Delay Feedback")
        #expect(cascaded.row.publishedAt == Timestamp.date(year: 2026, month: 1, day: 27))
        #expect(cascaded.row.upvotes == 0)
        // With a listing date of 2026-01-20, "Jan 27" would be after it: the year before.
        var options = Self.options
        options.listingDate = Timestamp.date(year: 2026, month: 1, day: 20) ?? options.listingDate
        let early = try PaperParser.parse(path: Self.seed, format: .dailypapers, options: options)
        let earlyEntry = try paper(early, titled: "Modeling Cascaded Delay Feedback")
        #expect(earlyEntry.row.publishedAt == Timestamp.date(year: 2025, month: 1, day: 27))
    }

    @Test func organisationLineAndTrailingCounts() throws {
        let parsed = try parseSeed()
        let meta = try paper(parsed, titled: "Scaling Agent Learning via Experience Synthesis")
        #expect(meta.row.organization == "Meta Research")
        #expect(meta.row.publishedAt == Timestamp.date(year: 2025, month: 11, day: 5))
        #expect(meta.row.upvotes == 2)
        let nvidia = try paper(parsed, titled: "iGRPO")
        #expect(nvidia.row.organization == "NVIDIA")
        #expect(nvidia.row.publishedAt == Timestamp.date(year: 2026, month: 2, day: 9))
        #expect(nvidia.row.upvotes == 2)
        let rlhf = try paper(parsed, titled: "RLHF Workflow")
        #expect(rlhf.row.publishedAt == Timestamp.date(year: 2024, month: 5, day: 13))
        #expect(rlhf.row.upvotes == 5)
        #expect(rlhf.row.organization == nil)
        let quoted = try paper(parsed, titled: "\"I understand why")
        #expect(quoted.row.id == "dp-f5f81dd719e586d6")
        #expect(quoted.row.upvotes == 0)
    }

    @Test func idNormalization() {
        #expect(DailyPapersID.normalize("  Hello,   World!! -- GPT-4 ") == "hello world gpt 4")
        #expect(DailyPapersID.normalize("Über “Café” – naïve") == "über café naïve")
        #expect(DailyPapersID.make(title: "") == nil)
        #expect(DailyPapersID.make(title: "Value-Based Pre-Training with Downstream Feedback") == "dp-aba031d4e932810c")
    }

    @Test func emptyTitleLineIsAnIssue() throws {
        let page = "Daily Papers\n\nFirst title\n\nFirst abstract.\n\n  • 2 authors\n·\nJan 5, 2026 3\n\n\n\nAbstract of an untitled entry.\n\n  • 3 authors\n·\nFeb 1, 2026\n\nThird title\n\nThird abstract.\n"
        let path = try Support.write("page.txt", page)
        let parsed = try PaperParser.parse(path: path, format: .dailypapers, options: Self.options)
        #expect(parsed.rows.map(\.row.title) == ["First title", "Third title"])
        #expect(parsed.rows.map(\.line) == [3, 19])
        #expect(parsed.issues.count == 1)
        #expect(parsed.issues.first?.description.hasPrefix("\(path):11: title: empty title line") == true)
    }

    @Test func badDateLineIsAnIssue() throws {
        let page = "Title\n\nAbstract.\n  • 2 authors\n·\nSomeday 5\n"
        let path = try Support.write("page.txt", page)
        let parsed = try PaperParser.parse(path: path, format: .dailypapers, options: Self.options)
        #expect(parsed.rows.isEmpty)
        #expect(parsed.issues.first?.description.hasPrefix("\(path):1: published_at: unrecognised date") == true)
    }
}
