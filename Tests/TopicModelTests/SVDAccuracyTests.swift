import Foundation
import LinearAlgebra
import Testing
import TextFeatures

/// The randomized SVD against exact singular values on a real corpus (issue goal: the top 64
/// singular values at k = 128 within 1e-3 relative on the 2,327-paper corpus).
@Suite struct SVDAccuracyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func top64SingularValuesMatchTheExactOnes() throws {
        let corpusPath = Self.root.appendingPathComponent("Tests/TextFeaturesTests/Fixtures/arxiv-2025-03-corpus.jsonl").path
        let referencePath = Self.root.appendingPathComponent("Tests/TopicModelTests/Fixtures/arxiv-2025-03-singular-values.json").path
        let texts = try String(contentsOfFile: corpusPath, encoding: .utf8).split(separator: "\n").map { line -> String in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["text"] as? String ?? ""
        }
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: referencePath))) as! [String: Any]
        let exact = (reference["singular_values"] as! [Double])
        let (_, matrix) = TfidfConfiguration.referenceV1.fit(documents: texts)
        #expect(matrix.rows == reference["documents"] as? Int)
        #expect(matrix.columns == reference["terms"] as? Int)
        #expect(matrix.nonZeroCount == reference["nnz"] as? Int)
        for seed: UInt64 in [1, 42] {
            let svd = try RandomizedSVD(rank: 128, seed: seed, method: .randomized).fit(matrix)
            let errors = (0..<64).map { abs(Double(svd.singularValues[$0]) - exact[$0]) / exact[$0] }
            let worst = errors.max()!
            print("seed \(seed): top-64 max relative error \(worst)")
            #expect(worst < 1e-3, "seed \(seed): top-64 max relative error \(worst)")
        }
    }
}
