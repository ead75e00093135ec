import Foundation
import Testing

@testable import LinearAlgebra

@Suite struct RandomizedSVDTests {
    /// Slowly decaying spectrum σ_i = 1/√(i+1), i = 0..<240, on a 400 × 300 matrix.
    static let slowSpectrum = (0..<240).map { 1 / (Double($0) + 1).squareRoot() }
    static let slow = TestData.knownSpectrum(400, 300, singularValues: slowSpectrum, seed: 77)

    func maxRelativeError(_ s: [Float], _ reference: [Double], count: Int) -> Double {
        (0..<count).map { abs(Double(s[$0]) - reference[$0]) / reference[$0] }.max() ?? 0
    }

    @Test func defaultsAreAccurateOnSlowDecay() throws {
        let k = 32
        let svd = try RandomizedSVD(rank: k, seed: 1, method: .randomized).fit(Self.slow)
        let err = maxRelativeError(svd.singularValues, Self.slowSpectrum, count: k / 2)
        let errAll = maxRelativeError(svd.singularValues, Self.slowSpectrum, count: k)
        print("slow decay 400x300, k=\(k), defaults: top-\(k / 2) max rel err \(err), all \(k): \(errAll)")
        #expect(err < 1e-3)
        // The exact path agrees with the known spectrum too.
        let exact = try RandomizedSVD(rank: k, method: .exact).fit(Self.slow)
        #expect(maxRelativeError(exact.singularValues, Self.slowSpectrum, count: k) < 1e-4)
    }

    @Test func factorsAreOrthonormalAndMatchTheMatrix() throws {
        // Geometric decay 0.7^i: the subspace converges, so A·v_i = σ_i·u_i to float accuracy.
        let a = TestData.knownSpectrum(120, 90, singularValues: (0..<40).map { pow(0.7, Double($0)) }, seed: 5)
        let svd = try RandomizedSVD(rank: 10, seed: 3, method: .randomized).fit(a)
        #expect(svd.u.rows == 120 && svd.u.columns == 10 && svd.vt.rows == 10 && svd.vt.columns == 90)
        let utu = try BLAS.gemm(svd.u, transposeA: true, svd.u)
        let vvt = try BLAS.gemm(svd.vt, svd.vt, transposeB: true)
        #expect(TestData.maxDifference(utu, .identity(10)) < 1e-4)
        #expect(TestData.maxDifference(vvt, .identity(10)) < 1e-4)
        // A·v_i = σ_i·u_i.
        let av = try a.multiplied(by: svd.vt.transposed())
        #expect(TestData.maxDifference(av, svd.embedding()) < 1e-3)
        #expect(TestData.maxDifference(try svd.transform(a), svd.embedding()) < 1e-3)
    }

    @Test func exactPathAgreesWithDenseSVDAndRandomized() throws {
        let a = TestData.sparse(60, 150, density: 0.1, seed: 9)
        let dense = try LAPACK.svd(a.toDense())
        for matrix in [a, a.transposed()] {
            let exact = try RandomizedSVD(rank: 12, method: .exact).fit(matrix)
            for i in 0..<12 { #expect(abs(exact.singularValues[i] - dense.singularValues[i]) < 1e-4 * dense.singularValues[0]) }
        }
        // Randomized against exact on a matrix with a decaying spectrum (a random sparse matrix
        // has a nearly flat one, where q = 4 iterations do not reach 1e-3).
        let decaying = TestData.knownSpectrum(90, 140, singularValues: (0..<60).map { pow(0.85, Double($0)) }, seed: 19)
        for matrix in [decaying, decaying.transposed()] {
            let exact = try RandomizedSVD(rank: 12, method: .exact).fit(matrix)
            let randomized = try RandomizedSVD(rank: 12, seed: 4, method: .randomized).fit(matrix)
            for i in 0..<6 {
                #expect(abs(randomized.singularValues[i] - exact.singularValues[i]) < 1e-3 * exact.singularValues[i])
            }
            // Same sign rule on both paths, so the leading vectors agree entry by entry.
            let diff = zip(exact.vt.row(0), randomized.vt.row(0)).map { abs($0 - $1) }.max()!
            #expect(diff < 1e-3)
        }
        // `.automatic` takes the exact path when min(n, m) = 60 ≤ 2·(12 + 20).
        #expect(try RandomizedSVD(rank: 12, oversampling: 20).fit(a) == RandomizedSVD(rank: 12, method: .exact).fit(a))
    }

    @Test func sameSeedGivesIdenticalBytesOtherSeedStaysAccurate() throws {
        let a = LinearAlgebraBenchmark.syntheticSparse(rows: 900, columns: 700, nonZeros: 20_000, seed: 8)
        let config = RandomizedSVD(rank: 16, seed: 42, method: .randomized)
        let first = try config.fit(a), second = try config.fit(a)
        #expect(first.u.values.map(\.bitPattern) == second.u.values.map(\.bitPattern))
        #expect(first.vt.values.map(\.bitPattern) == second.vt.values.map(\.bitPattern))
        #expect(first.singularValues.map(\.bitPattern) == second.singularValues.map(\.bitPattern))
        var other = config
        other.seed = 43
        #expect(try other.fit(a).u != first.u)
        // Different seeds on the slow-decay matrix: both within 1e-3 on the top half.
        for seed in [UInt64(42), 43] {
            let svd = try RandomizedSVD(rank: 16, seed: seed, method: .randomized).fit(Self.slow)
            #expect(maxRelativeError(svd.singularValues, Self.slowSpectrum, count: 8) < 1e-3)
        }
    }

    @Test func signRuleMakesLargestVtEntryPositive() throws {
        let a = TestData.sparse(80, 50, density: 0.2, seed: 10)
        for method in [RandomizedSVD.Method.randomized, .exact] {
            let svd = try RandomizedSVD(rank: 6, seed: 2, method: method).fit(a)
            for i in 0..<6 {
                let row = svd.vt.row(i)
                let largest = row.max { abs($0) < abs($1) }!
                #expect(largest > 0)
            }
        }
    }

    @Test func explainedVarianceMatchesDirectComputation() throws {
        let a = TestData.sparse(70, 40, density: 0.3, seed: 12)
        let svd = try RandomizedSVD(rank: 5, method: .exact).fit(a)
        let x = svd.embedding()
        let dense = a.toDense()
        func variance(_ column: [Double]) -> Double {
            let mean = column.reduce(0, +) / Double(column.count)
            return column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)
        }
        let total = (0..<40).map { j in variance((0..<70).map { Double(dense[$0, j]) }) }.reduce(0, +)
        #expect(abs(TruncatedSVD.totalVariance(of: a) - total) < 1e-9 * max(1, total))
        for i in 0..<5 {
            let v = variance((0..<70).map { Double(x[$0, i]) })
            #expect(abs(Double(svd.explainedVariance[i]) - v) < 1e-4 * max(v, 1e-6))
            #expect(abs(Double(svd.explainedVarianceRatio[i]) - v / total) < 1e-4)
        }
        #expect(svd.explainedVarianceRatio.reduce(0, +) <= 1)
    }

    @Test func rankDeficientAndTinyInputs() throws {
        // Rank 3 matrix asked for 8 components with the randomized path.
        let spectrum: [Double] = [3, 2, 1]
        let a = TestData.knownSpectrum(50, 40, singularValues: spectrum, seed: 3)
        let svd = try RandomizedSVD(rank: 8, oversampling: 4, seed: 1, method: .randomized).fit(a)
        for i in 0..<3 { #expect(abs(Double(svd.singularValues[i]) - spectrum[i]) < 1e-4) }
        for i in 3..<8 { #expect(svd.singularValues[i] < 1e-4) }
        // Rank larger than the matrix is clipped.
        let tiny = TestData.sparse(3, 5, density: 0.8, seed: 2)
        #expect(try RandomizedSVD(rank: 10).fit(tiny).rank == 3)
        #expect(throws: LinearAlgebraError.self) { try RandomizedSVD(rank: 0).fit(tiny) }
    }

    /// Timing, only with `PAPERFEED_BENCH=1` (no assertions on time).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PAPERFEED_BENCH"] == "1"))
    func benchmark() throws {
        print("sgemm 1024: \(try LinearAlgebraBenchmark.sgemmPeak(n: 1024)) GFLOP/s")
        let seconds = try LinearAlgebraBenchmark.randomizedSVDSeconds(rows: 20_000, columns: 15_000, nonZeros: 1_000_000, rank: 128, repetitions: 1)
        print("RandomizedSVD 20000x15000 nnz 1e6 k=128: \(seconds) s")
    }
}
