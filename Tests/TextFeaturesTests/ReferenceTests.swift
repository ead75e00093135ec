import Foundation
import LinearAlgebra
import Testing
import TextFeatures

/// Reads a fixture file of this test target.
func fixture(_ name: String) throws -> Data {
    let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/\(name)")
    return try Data(contentsOf: url)
}

func jsonLines(_ name: String) throws -> [[String: Any]] {
    try fixture(name).split(separator: UInt8(ascii: "\n")).map {
        try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
    }
}

/// The weight at (row, column) of a CSR matrix, 0 when absent.
func entry(_ m: CSRMatrix, _ row: Int, _ column: Int) -> Float {
    let r = m.row(row)
    guard let k = r.columns.firstIndex(of: Int32(column)) else { return 0 }
    return r.values[k]
}

@Suite struct ScikitLearnReferenceTests {
    @Test(arguments: ["seed", "arxiv-2025-03"])
    func matchesTfidfVectorizer(corpus: String) throws {
        let documents = try jsonLines("\(corpus)-corpus.jsonl")
        let texts = try documents.map { try #require($0["text"] as? String) }
        let (model, matrix) = TfidfConfiguration.referenceV1.fit(documents: texts)
        try matrix.validate()
        #expect(matrix.rows == texts.count)
        #expect(matrix.columns == model.vocabulary.count)
        #expect(model.documentCount == texts.count)

        // vocabulary.tsv: term, df, idf sorted by term bytes = our columns, exactly.
        let lines = String(decoding: try fixture("\(corpus)-vocabulary.tsv"), as: UTF8.self)
            .split(separator: "\n").dropFirst()
        let rows = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        let terms = rows.map { String($0[0]) }
        #expect(model.vocabulary.count == terms.count)
        #expect(model.vocabulary == terms)
        guard model.vocabulary == terms else { return }
        var idfErrors = 0, dfErrors = 0
        for (j, row) in rows.enumerated() {
            if model.documentFrequency[j] != Int(row[1]) { dfErrors += 1 }
            if abs(model.idf[j] - Double(row[2])!) > 1e-6 { idfErrors += 1 }
        }
        #expect(dfErrors == 0)
        #expect(idfErrors == 0)

        // documents.jsonl: nnz and the 20 largest weights per document.
        let expected = try jsonLines("\(corpus)-documents.jsonl")
        #expect(expected.count == texts.count)
        var nnzErrors = 0, weightErrors = 0, checked = 0
        for (i, doc) in expected.enumerated() {
            #expect(doc["id"] as? String == documents[i]["id"] as? String)
            if matrix.row(i).columns.count != doc["nnz"] as? Int { nnzErrors += 1 }
            for pair in try #require(doc["top"] as? [[Any]]) {
                let term = try #require(pair[0] as? String), weight = try #require(pair[1] as? Double)
                let column = try #require(model.column(of: term))
                if abs(Double(entry(matrix, i, column)) - weight) > 1e-5 { weightErrors += 1 }
                checked += 1
            }
        }
        #expect(nnzErrors == 0)
        #expect(weightErrors == 0)
        #expect(checked > 20 * texts.count / 2)
    }
}
