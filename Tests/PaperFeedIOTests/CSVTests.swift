import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

@Suite struct CSVTests {
    @Test func quotedFieldsEscapesAndMultilineRecords() throws {
        let csv =
            "id,title,abstract,authors,published_at,upvotes\r\n"
            + "p1,\"A, title\",\"He said \"\"hi\"\"\",A; B,2025-03-18,3\r\n"
            + "p2,Second,\"line one\nline two\",C,2025-03-19T10:00:00Z,\r\n"
            + "p3,Third,x,,2025-03-20,7"
        let path = try Support.write("papers.csv", csv)
        let parsed = try PaperParser.parse(path: path, format: .csv, options: Support.options)
        #expect(parsed.issues.isEmpty)
        #expect(parsed.rows.map(\.line) == [2, 3, 5])
        let p1 = parsed.rows[0].row
        #expect(p1.title == "A, title")
        #expect(p1.abstract == "He said \"hi\"")
        #expect(p1.authors == ["A", "B"])
        #expect(p1.upvotes == 3)
        #expect(p1.source == "csv")
        #expect(parsed.rows[1].row.abstract == "line one\nline two")
        #expect(parsed.rows[1].row.upvotes == nil)
        #expect(parsed.rows[2].row.authors == [])
    }

    @Test func wrongColumnCount() throws {
        let csv = "id,title,abstract,authors,published_at,upvotes\np1,T,A,X,2025-03-18,1\np2,T,A,X\n"
        let path = try Support.write("cols.csv", csv)
        let parsed = try PaperParser.parse(path: path, format: .csv, options: Support.options)
        #expect(parsed.rows.count == 1)
        #expect(parsed.issues.map(\.description) == ["\(path):3: record: expected 6 columns, found 4"])
    }

    @Test func unclosedQuote() throws {
        let csv = "id,title,abstract,authors,published_at,upvotes\np1,T,A,X,2025-03-18,1\np2,\"never closed,A,X,2025-03-18,1\np3,T,A,X,2025-03-18,1\n"
        let path = try Support.write("quote.csv", csv)
        let parsed = try PaperParser.parse(path: path, format: .csv, options: Support.options)
        #expect(parsed.rows.count == 1)
        #expect(parsed.issues.map(\.description) == ["\(path):3: record: unclosed quote"])
    }

    @Test func missingRequiredColumnIsBadHeader() throws {
        let path = try Support.write("hdr.csv", "title,abstract\nT,A\n")
        #expect {
            try PaperParser.parse(path: path, format: .csv, options: Support.options)
        } throws: { error in
            if case IOError.badHeader(let p, let reason) = error { return p == path && reason.contains("`id`") }
            return false
        }
    }

    @Test func columnMapRenamesColumns() throws {
        let path = try Support.write("mapped.csv", "arxiv,name,summary\n2501.1,T,A\n")
        var options = Support.options
        options.columnMap = ["id": "arxiv", "title": "name", "abstract": "summary"]
        let parsed = try PaperParser.parse(path: path, format: .csv, options: options)
        #expect(parsed.issues.isEmpty)
        #expect(parsed.rows.first?.row == Paper(id: "2501.1", title: "T", abstract: "A", source: "csv"))
    }
}
