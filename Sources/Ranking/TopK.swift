/// Keeps the best k of a stream of (score, index) with a binary min-heap whose root is the
/// worst kept item. Order: higher score first; equal scores: lower index first (candidates are
/// sorted by paper id, so this is "ties by paper id ascending"). NaN scores are never kept.
/// The order is total, so the kept set does not depend on the order of the offers.
struct TopK {
    let k: Int
    private(set) var scores: [Float] = []
    private(set) var indices: [Int32] = []

    /// `k` ≤ 0 keeps nothing; `capacity` bounds the reservation (k may be huge, e.g. Int.max).
    init(k: Int, capacity: Int = 1024) {
        self.k = max(0, k)
        scores.reserveCapacity(min(self.k, max(0, capacity)))
        indices.reserveCapacity(min(self.k, max(0, capacity)))
    }

    /// a is worse than b.
    @inline(__always) private static func worse(_ sa: Float, _ ia: Int32, _ sb: Float, _ ib: Int32) -> Bool {
        sa < sb || (sa == sb && ia > ib)
    }

    /// The score an item must beat to enter (−∞ until the heap is full, +∞ when k = 0). An item
    /// equal to it enters only with a lower index than the root's: callers that offer indices in
    /// increasing order may skip items with score ≤ threshold.
    @inline(__always) var threshold: Float { k == 0 ? .infinity : scores.count < k ? -.infinity : scores[0] }

    @inline(__always) mutating func offer(_ s: Float, _ i: Int32) {
        guard k > 0, !s.isNaN else { return }
        if scores.count < k {
            scores.append(s)
            indices.append(i)
            var c = scores.count - 1
            while c > 0 {
                let p = (c - 1) / 2
                guard TopK.worse(scores[c], indices[c], scores[p], indices[p]) else { break }
                scores.swapAt(c, p)
                indices.swapAt(c, p)
                c = p
            }
        } else if TopK.worse(scores[0], indices[0], s, i) {
            scores[0] = s
            indices[0] = i
            var p = 0
            let n = scores.count
            while true {
                let l = 2 * p + 1, r = l + 1
                var m = p
                if l < n && TopK.worse(scores[l], indices[l], scores[m], indices[m]) { m = l }
                if r < n && TopK.worse(scores[r], indices[r], scores[m], indices[m]) { m = r }
                if m == p { break }
                scores.swapAt(p, m)
                indices.swapAt(p, m)
                p = m
            }
        }
    }

    /// Best first.
    func sorted() -> [(score: Float, index: Int32)] {
        zip(scores, indices).sorted { TopK.worse($1.0, $1.1, $0.0, $0.1) }.map { (score: $0.0, index: $0.1) }
    }
}
