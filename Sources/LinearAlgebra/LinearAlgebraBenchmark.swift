import PaperFeedCore

/// Timing helpers for `make bench` (no assertions; the machine is shared and noisy, so report
/// the best of a few runs and compare ratios measured in the same session).
public enum LinearAlgebraBenchmark {
    /// Best-of-`repetitions` throughput of `C = A·B` for square `n × n` Float matrices, in
    /// GFLOP/s (`2n³` flops per product), using the current `BLAS.threads`.
    public static func sgemmPeak(n: Int, repetitions: Int = 3) throws -> Double {
        var g = SeededGenerator(seed: 42)
        let a = DenseMatrix(rows: n, columns: n, values: (0..<(n * n)).map { _ in Float(g.nextUnit()) - 0.5 })
        let b = DenseMatrix(rows: n, columns: n, values: (0..<(n * n)).map { _ in Float(g.nextUnit()) - 0.5 })
        var c = DenseMatrix(zeros: n, n)
        try BLAS.gemm(a, b, into: &c)  // warm-up (thread start, page faults)
        let best = try bestSeconds(repetitions) { try BLAS.gemm(a, b, into: &c) }
        return 2 * Double(n) * Double(n) * Double(n) / best / 1e9
    }

    /// A seeded synthetic TF-IDF-like matrix: `rows × columns`, about `nonZeros` entries, column
    /// popularity skewed like a Zipf law (column `⌊m·u²⌋` for uniform `u`), positive weights,
    /// rows scaled to unit Euclidean norm.
    public static func syntheticSparse(rows: Int, columns: Int, nonZeros: Int, seed: UInt64) -> CSRMatrix {
        var g = SeededGenerator(seed: seed)
        let perRow = max(1, nonZeros / max(1, rows))
        var pointers = [0], indices: [Int32] = [], values: [Float] = []
        indices.reserveCapacity(nonZeros)
        values.reserveCapacity(nonZeros)
        var seen = Set<Int32>()
        for _ in 0..<rows {
            let count = min(columns, max(1, Int(Double(perRow) * (0.5 + g.nextUnit()))))
            seen.removeAll(keepingCapacity: true)
            while seen.count < count {
                let u = g.nextUnit()
                seen.insert(Int32(min(columns - 1, Int(Double(columns) * u * u))))
            }
            let sorted = seen.sorted()
            var row = sorted.map { _ in Float(1 + 2 * g.nextUnit()) }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in row.indices { row[i] /= norm }
            indices += sorted
            values += row
            pointers.append(indices.count)
        }
        return CSRMatrix(unchecked: rows, columns: columns, rowPointers: pointers, columnIndices: indices, values: values)
    }

    /// Best-of-`repetitions` seconds of `RandomizedSVD.fit` (randomized path forced) on `a`.
    public static func randomizedSVDSeconds(
        _ a: CSRMatrix, rank: Int = 128, oversampling: Int? = nil,
        powerIterations: Int = RandomizedSVD.defaultPowerIterations, seed: UInt64 = 1, repetitions: Int = 3
    ) throws -> Double {
        let svd = RandomizedSVD(rank: rank, oversampling: oversampling, powerIterations: powerIterations, seed: seed, method: .randomized)
        return try bestSeconds(repetitions) { _ = try svd.fit(a) }
    }

    /// Times `RandomizedSVD.fit` on `syntheticSparse(rows:columns:nonZeros:seed:)`.
    public static func randomizedSVDSeconds(
        rows: Int, columns: Int, nonZeros: Int, rank: Int = 128, seed: UInt64 = 1, repetitions: Int = 3
    ) throws -> Double {
        let a = syntheticSparse(rows: rows, columns: columns, nonZeros: nonZeros, seed: seed)
        return try randomizedSVDSeconds(a, rank: rank, seed: seed, repetitions: repetitions)
    }

    static func bestSeconds(_ repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<max(1, repetitions) {
            let start = clock.now
            try body()
            let d = clock.now - start
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            best = min(best, seconds)
        }
        return best
    }
}
