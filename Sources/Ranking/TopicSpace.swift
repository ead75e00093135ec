import LinearAlgebra
import PaperFeedCore

/// Paper embeddings in topic space, one unit-length row per paper (so cosine = dot product),
/// rows ordered by paper id (byte order). Built from a fitted topic model plus fold-ins.
/// Rows that are all zero or not finite are stored as zeros (cosine 0 with everything).
///
/// `centered`: subtract the mean unit row, then renormalize. LSA embeddings share a common
/// direction (every paper loads positively on the first singular vector), so raw cosines
/// between unrelated arXiv papers average ≈ 0.43; after centering they average ≈ 0 and the
/// cosine measures topical similarity (the centered-cosine / "mean removal" practice for LSA).
/// The pipelines use `centered: true`.
public struct TopicSpace: Sendable {
    public let ids: [PaperID]
    public let embeddings: DenseMatrix
    public let index: [PaperID: Int]

    public init(ids: [PaperID], embeddings: DenseMatrix, centered: Bool = false) throws {
        guard ids.count == embeddings.rows else {
            throw RankingError.dimensionMismatch("\(ids.count) ids for \(embeddings.rows) embedding rows")
        }
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        var values = [Float](repeating: 0, count: embeddings.values.count)
        let d = embeddings.columns
        for (newRow, oldRow) in order.enumerated() {
            var norm: Float = 0
            for j in 0..<d { norm += embeddings[oldRow, j] * embeddings[oldRow, j] }
            // A row with a NaN or infinite entry (norm not finite) or all zeros stays all zeros:
            // it then matches nothing instead of poisoning every score with NaN.
            guard norm.isFinite, norm > 0 else { continue }
            let scale = 1 / norm.squareRoot()
            for j in 0..<d { values[newRow * d + j] = embeddings[oldRow, j] * scale }
        }
        if centered, !order.isEmpty {
            var mean = [Double](repeating: 0, count: d)
            for r in 0..<order.count { for j in 0..<d { mean[j] += Double(values[r * d + j]) } }
            for j in 0..<d { mean[j] /= Double(order.count) }
            for r in 0..<order.count {
                var norm: Double = 0
                for j in 0..<d {
                    let v = Double(values[r * d + j]) - mean[j]
                    norm += v * v
                }
                guard norm > 0, values[(r * d)..<((r + 1) * d)].contains(where: { $0 != 0 }) else { continue }
                let scale = 1 / norm.squareRoot()
                for j in 0..<d { values[r * d + j] = Float((Double(values[r * d + j]) - mean[j]) * scale) }
            }
        }
        self.ids = order.map { ids[$0] }
        self.embeddings = DenseMatrix(rows: ids.count, columns: d, values: values)
        var index: [PaperID: Int] = [:]
        index.reserveCapacity(ids.count)
        for (i, id) in self.ids.enumerated() { index[id] = i }
        self.index = index
    }

    public var dimensions: Int { embeddings.columns }

    /// The unit embedding of a paper, or nil when the paper is not in the space.
    public func vector(_ id: PaperID) -> ArraySlice<Float>? {
        guard let i = index[id] else { return nil }
        return embeddings.values[(i * dimensions)..<((i + 1) * dimensions)]
    }

    /// Rows `rows` gathered into a new matrix (candidates, history papers).
    public func gather(_ rows: [Int]) -> DenseMatrix {
        let d = dimensions
        var values = [Float](repeating: 0, count: rows.count * d)
        for (r, i) in rows.enumerated() {
            for j in 0..<d { values[r * d + j] = embeddings.values[i * d + j] }
        }
        return DenseMatrix(rows: rows.count, columns: d, values: values)
    }
}

@inline(__always) func dot(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
    var s: Float = 0
    var i = a.startIndex, j = b.startIndex
    while i < a.endIndex {
        s += a[i] * b[j]
        i += 1
        j += 1
    }
    return s
}
