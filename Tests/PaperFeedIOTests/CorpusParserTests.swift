import Foundation
import PaperFeedCore
import Testing

@testable import PaperFeedIO

@Suite struct CorpusParserTests {
    @Test func smallCorpusWithIssues() throws {
        let dir = try Support.tempDirectory()
        try "2 1:3 0:1\n0\n2 0:1\n1 5:1\n1 1:0".write(toFile: dir + "/mult.dat", atomically: true, encoding: .utf8)
        try "alpha\nbeta\n".write(toFile: dir + "/vocab.dat", atomically: true, encoding: .utf8)
        try "2 0 1\n1 7\n3 0 1\n0".write(toFile: dir + "/users.dat", atomically: true, encoding: .utf8)
        let corpus = try CorpusParser.parse(name: "toy", documents: dir + "/mult.dat", vocabulary: dir + "/vocab.dat", libraries: dir + "/users.dat")
        #expect(corpus.vocabulary == ["alpha", "beta"])
        #expect(corpus.documents == [
            BagOfWordsDocument(paper: "toy:0", termIDs: [0, 1], counts: [1, 3]),
            BagOfWordsDocument(paper: "toy:1", termIDs: [], counts: []),
        ])
        #expect(corpus.libraries.map(\.user) == ["toy:u0", "toy:u3"])
        #expect(corpus.libraries[0].papers == ["toy:0", "toy:1"])
        #expect(corpus.libraries[1].papers == [])
        #expect(
            corpus.issues.map(\.description) == [
                "\(dir)/mult.dat:3: terms: M is 2 but 1 term:count pairs follow",
                "\(dir)/mult.dat:4: term: term id 5 out of range (vocabulary has 2 terms)",
                "\(dir)/mult.dat:5: count: count 0 of term 1 must be ≥ 1",
                "\(dir)/users.dat:2: item: item id 7 out of range (5 documents)",
                "\(dir)/users.dat:3: items: N is 3 but 2 ids follow",
            ])
    }

    @Test func citeulikeT() throws {
        let corpus = try CorpusParser.parse(
            name: "citeulike-t", documents: Support.data("citeulike-t/mult.dat.gz"),
            vocabulary: Support.data("citeulike-t/vocabulary.dat.gz"), libraries: Support.data("citeulike-t/users.dat.gz"))
        #expect(corpus.issues.isEmpty)
        #expect(corpus.documents.count == 25_975)
        #expect(corpus.vocabulary.count == 20_000)
        #expect(corpus.libraries.count == 7_947)
        #expect(corpus.libraries.reduce(0) { $0 + $1.papers.count } == 134_860)
        #expect(corpus.documents.filter { $0.termIDs.isEmpty }.count == 31)
        #expect(corpus.documents.reduce(0) { $0 + $1.counts.reduce(0) { $0 + Int($1) } } == 804_367)
        #expect(corpus.vocabulary[0] == "xylem")
        #expect(corpus.libraries[0].user == "citeulike-t:u0")
        #expect(corpus.libraries[0].papers == ["citeulike-t:193", "citeulike-t:11908", "citeulike-t:12727", "citeulike-t:14760"])
        #expect(corpus.documents.last?.paper == "citeulike-t:25974")
    }

    @Test func citeulikeTSplits() throws {
        let train = try ListFileParser.parse(path: Support.data("citeulike-t/splits-cvae/cf-train-10-users.dat.gz"))
        let test = try ListFileParser.parse(path: Support.data("citeulike-t/splits-cvae/cf-test-10-users.dat.gz"))
        #expect(train.count == 7_947 && test.count == 7_947)
        #expect(train.reduce(0) { $0 + $1.count } == 53_399)
        #expect(test.reduce(0) { $0 + $1.count } == 81_461)
        #expect(test.filter(\.isEmpty).count == 5_349)
        let train1 = try ListFileParser.parse(path: Support.data("citeulike-t/splits-cvae/cf-train-1-users.dat.gz"))
        #expect(train1.allSatisfy { $0.count == 1 })
    }

    @Test func listFileThrowsFirstBadLine() throws {
        let path = try Support.write("l.dat", "1 3\n2 4\n")
        #expect(throws: RowIssue(file: path, line: 2, field: "items", reason: "N is 2 but 1 ids follow", raw: "2 4")) {
            try ListFileParser.parse(path: path)
        }
    }
}
