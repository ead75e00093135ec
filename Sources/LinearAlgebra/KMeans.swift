import PaperFeedCore

/// Spherical k-means (Dhillon & Modha 2001): clusters unit vectors by cosine similarity.
///
/// Rows are L2-normalized (zero rows stay zero and join the cluster of the first centroid
/// they tie on, i.e. cluster 0). Initialization is k-means++ (Arthur & Vassilvitskii 2007)
/// with distance 1 − cos, drawn from `SeededGenerator(seed)`; then Lloyd iterations: assign
/// each row to the centroid of highest cosine (ties → the lower cluster index), recompute each
/// centroid as the normalized sum of its rows (an empty cluster keeps its centroid), stop when
/// no assignment changes or after `maxIterations`. Similarities for all rows are one sgemm
/// (rows × k) per iteration. Same input and seed → same assignments.
public struct KMeansConfiguration: Sendable, Hashable {
    public var clusters: Int
    public var maxIterations: Int
    public var seed: UInt64

    public init(clusters: Int, maxIterations: Int = 50, seed: UInt64 = 0) {
        self.clusters = clusters
        self.maxIterations = maxIterations
        self.seed = seed
    }

    /// Fits the clusters of the rows of `points` (n × d). With n ≤ k every row is its own cluster.
    public func fit(_ points: DenseMatrix) throws -> KMeans {
        guard clusters >= 1 else { throw LinearAlgebraError.shapeMismatch("k-means needs at least one cluster, got \(clusters); ask for k ≥ 1") }
        let n = points.rows, d = points.columns
        let x = KMeans.normalizedRows(points)
        let k = min(clusters, n)
        guard k > 0 else { return KMeans(centroids: DenseMatrix(zeros: 0, d), assignments: [], iterations: 0) }
        // k-means++ seeding.
        var g = SeededGenerator(seed: seed)
        var chosen = [Int(g.next() % UInt64(n))]
        var best = [Double](repeating: .infinity, count: n)
        while chosen.count < k {
            let c = chosen[chosen.count - 1]
            var total = 0.0
            for i in 0..<n {
                var dot: Float = 0
                for j in 0..<d { dot += x.values[i * d + j] * x.values[c * d + j] }
                best[i] = min(best[i], max(0, 1 - Double(dot)))
                total += best[i]
            }
            var next = 0
            if total > 0 {
                var target = g.nextUnit() * total
                for i in 0..<n {
                    target -= best[i]
                    if target < 0 { next = i; break }
                    next = i
                }
            } else {
                next = (0..<n).first { !chosen.contains($0) } ?? 0
            }
            chosen.append(next)
        }
        var centroids = x.gather(rows: chosen)
        var assignments = [Int](repeating: -1, count: n)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            let sims = try BLAS.gemm(x, centroids, transposeB: true)
            var changed = false
            for i in 0..<n {
                var arg = 0
                for c in 1..<k where sims.values[i * k + c] > sims.values[i * k + arg] { arg = c }
                if assignments[i] != arg { assignments[i] = arg; changed = true }
            }
            if !changed { break }
            var sums = [Float](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            for i in 0..<n {
                let c = assignments[i]
                counts[c] += 1
                for j in 0..<d { sums[c * d + j] += x.values[i * d + j] }
            }
            for c in 0..<k where counts[c] > 0 {
                for j in 0..<d { centroids.values[c * d + j] = sums[c * d + j] }
            }
            centroids = KMeans.normalizedRows(centroids)
        }
        return KMeans(centroids: centroids, assignments: assignments, iterations: iterations)
    }
}

/// A fitted spherical k-means: unit centroids (k × d) and each row's cluster.
public struct KMeans: Sendable, Equatable {
    public let centroids: DenseMatrix
    public let assignments: [Int]
    /// Lloyd iterations run (the last one changed nothing unless the limit was hit).
    public let iterations: Int

    /// Rows scaled to unit length (zero rows stay zero).
    static func normalizedRows(_ m: DenseMatrix) -> DenseMatrix {
        var out = m
        out.normalizeRows()
        return out
    }
}

extension DenseMatrix {
    /// Scales every row to unit L2 length; zero rows stay zero.
    public mutating func normalizeRows() {
        let d = columns
        for i in 0..<rows {
            var s: Float = 0
            for j in 0..<d { s += values[i * d + j] * values[i * d + j] }
            guard s > 0 else { continue }
            let inv = 1 / s.squareRoot()
            for j in 0..<d { values[i * d + j] *= inv }
        }
    }

    /// The listed rows, in order, as a new matrix.
    func gather(rows list: [Int]) -> DenseMatrix {
        var values = [Float]()
        values.reserveCapacity(list.count * columns)
        for r in list { values += self.values[(r * columns)..<((r + 1) * columns)] }
        return DenseMatrix(rows: list.count, columns: columns, values: values)
    }
}
