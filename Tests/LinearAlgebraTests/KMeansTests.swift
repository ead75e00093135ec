import PaperFeedCore
import Testing

@testable import LinearAlgebra

@Suite struct KMeansTests {
    /// Three tight bundles of directions around the axes e0, e1, e2 in 4-d: the clustering must
    /// put each bundle in its own cluster, whatever the seed.
    static func bundles(perCluster: Int, seed: UInt64) -> (DenseMatrix, [Int]) {
        var g = SeededGenerator(seed: seed)
        var values: [Float] = [], truth: [Int] = []
        for i in 0..<(3 * perCluster) {
            let c = i % 3
            var v = (0..<4).map { _ in Float(0.05 * g.nextGaussian()) }
            v[c] += 1
            values += v.map { $0 * Float(1 + 3 * g.nextUnit()) }  // lengths must not matter
            truth.append(c)
        }
        return (DenseMatrix(rows: 3 * perCluster, columns: 4, values: values), truth)
    }

    @Test(arguments: [1, 7, 42] as [UInt64]) func recoversSeparatedBundles(seed: UInt64) throws {
        print("KMeansTests seed \(seed)")
        let (x, truth) = Self.bundles(perCluster: 20, seed: seed)
        let fit = try KMeansConfiguration(clusters: 3, seed: seed).fit(x)
        #expect(fit.assignments.count == 60)
        // Same truth label ⇔ same cluster.
        for i in 0..<60 { for j in 0..<60 { #expect((truth[i] == truth[j]) == (fit.assignments[i] == fit.assignments[j])) } }
        // Centroids are unit vectors pointing at their axis.
        for c in 0..<3 {
            let row = fit.centroids.row(c)
            #expect(abs(row.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
            #expect(row.max()! > 0.99)
        }
    }

    @Test func sameSeedSameAssignmentsAndFewerPointsThanClusters() throws {
        let (x, _) = Self.bundles(perCluster: 10, seed: 3)
        let a = try KMeansConfiguration(clusters: 4, seed: 9).fit(x)
        let b = try KMeansConfiguration(clusters: 4, seed: 9).fit(x)
        #expect(a == b)
        let two = DenseMatrix(rows: 2, columns: 2, values: [1, 0, 0, 1])
        let small = try KMeansConfiguration(clusters: 5, seed: 1).fit(two)
        #expect(small.centroids.rows == 2 && Set(small.assignments) == [0, 1])
        #expect(throws: LinearAlgebraError.self) { try KMeansConfiguration(clusters: 0).fit(two) }
    }
}
