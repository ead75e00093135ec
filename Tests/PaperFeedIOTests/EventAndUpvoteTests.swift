import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

@Suite struct EventParserTests {
    func issues(_ line: String) throws -> (String, [String]) {
        let path = try Support.write("e.jsonl", line + "\n")
        let parsed = try EventParser.parse(path: path, format: .jsonl, options: Support.options)
        return (path, parsed.issues.map(\.description))
    }

    @Test func unknownKindNamesTheAllowedKinds() throws {
        let (path, issues) = try issues(#"{"user": "u", "paper": "p", "kind": "click", "at": "2026-03-01"}"#)
        #expect(issues == ["\(path):1: kind: unknown kind \"click\"; allowed: impression, read, skip, upvote, save"])
    }

    @Test func positionMustBePositive() throws {
        let (path, issues) = try issues(#"{"user": "u", "paper": "p", "kind": "impression", "at": "2026-03-01", "position": 0}"#)
        #expect(issues == ["\(path):1: position: must be ≥ 1 (1-based), got 0"])
        let (path2, issues2) = try self.issues(#"{"user": "u", "paper": "p", "kind": "impression", "at": "2026-03-01", "position": "top"}"#)
        #expect(issues2.first?.hasPrefix("\(path2):1: position: not an integer") == true)
    }

    @Test func badAndFutureTimes() throws {
        let (path, issues) = try issues(#"{"user": "u", "paper": "p", "kind": "read", "at": "03/01/2026"}"#)
        #expect(issues == ["\(path):1: at: not an ISO 8601 date or date-time: \"03/01/2026\""])
        let (path2, issues2) = try self.issues(#"{"user": "u", "paper": "p", "kind": "read", "at": "2027-01-01T00:00:00Z"}"#)
        #expect(issues2.first?.hasPrefix("\(path2):1: at: 2027-01-01T00:00:00Z is in the future") == true)
    }

    @Test func missingUserAndPaper() throws {
        let (path, issues) = try issues(#"{"paper": "p", "kind": "read", "at": "2026-03-01"}"#)
        #expect(issues == ["\(path):1: user: missing"])
        let (path2, issues2) = try self.issues(#"{"user": "u", "paper": "", "kind": "read", "at": "2026-03-01"}"#)
        #expect(issues2 == ["\(path2):1: paper: empty"])
    }

    @Test func csvEvents() throws {
        let csv = "user,paper,kind,at,position,list,propensity\nu1,p1,impression,2026-03-01T10:00:00Z,2,L,0.25\nu1,p1,save,2026-03-01T10:05:00Z,,,\nu2,p2,impression,2026-03-01,1,,0\n"
        let path = try Support.write("e.csv", csv)
        let parsed = try EventParser.parse(path: path, format: .csv, options: Support.options)
        #expect(parsed.rows.count == 2)
        #expect(parsed.rows[0].row.position == 2)
        #expect(parsed.rows[0].row.propensity == 0.25)
        #expect(parsed.rows[1].row.kind == .save)
        #expect(parsed.rows[1].row.position == nil && parsed.rows[1].row.list == nil)
        #expect(parsed.issues.map(\.description) == ["\(path):4: propensity: must be in (0, 1], got 0.0"])
    }
}

@Suite struct UpvoteParserTests {
    @Test func bundledObservationsAutoDetectArxivID() throws {
        let parsed = try UpvoteParser.parse(path: Support.data("hf-daily-papers/upvote_observations.csv.gz"), options: Support.options)
        #expect(parsed.issues.isEmpty)
        #expect(parsed.rows.count == 6_237)
        let first = try #require(parsed.rows.first)
        #expect(first.line == 2)
        let observedAt = try #require(Timestamp.parse("2024-07-11T23:04:28Z"))
        #expect(first.row == UpvoteObservation(paper: "2302.06555", observedAt: observedAt, upvotes: 1))
    }

    @Test func explicitColumnMapAndValidation() throws {
        let csv = "pid,when,votes\nA,2026-01-01T00:00:00Z,3\nB,2026-01-01,-1\nC,2026-01-01,many\n,2026-01-01,1\nE,soon,1\nF,2029-01-01,1\n"
        let path = try Support.write("obs.csv", csv)
        var options = Support.options
        options.columnMap = ["paper": "pid", "observed_at": "when", "upvotes": "votes"]
        let parsed = try UpvoteParser.parse(path: path, options: options)
        #expect(parsed.rows.map(\.row.paper) == ["A"])
        #expect(parsed.issues.map { "\($0.line): \($0.field)" } == ["3: upvotes", "4: upvotes", "5: paper", "6: observed_at", "7: observed_at"])
        #expect(parsed.issues[0].description == "\(path):3: upvotes: negative count -1")
        #expect(parsed.issues[1].description == "\(path):4: upvotes: not a whole number: \"many\"")
    }
}
