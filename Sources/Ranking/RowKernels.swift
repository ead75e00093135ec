import PaperFeedCore

/// Linear passes over one reader's score row, written for the batch ranker's inner loop: raw
/// pointers (no ARC, no bounds checks in release) and 8 independent accumulators, which the
/// compiler keeps in vector registers (Swift's SIMD8 pointwiseMax/min are not inlined here and
/// were 3x slower). None of them rounds differently from the plain scalar expression it
/// replaces (max and min are exact; the score map is the same two IEEE operations per lane), so
/// results do not depend on how the loops are vectorized.

/// Candidates per chunk in the row passes: a chunk is skipped after one look at its maximum.
let rowChunk = 32

/// row[j] ← (row[j] − lo)·scale + item[j] for j in 0..<n (an sgemm cosine becomes the
/// approximate blended score), and chunkMax[c] ← max of the new row[32c ..< min(32c + 32, n)].
/// One pass instead of a map and a separate max pass; `chunkMax` holds ⌈n / 32⌉ floats.
func scoreRow(_ row: UnsafeMutablePointer<Float>, item: UnsafePointer<Float>, count n: Int,
              lo: Float, scale: Float, chunkMax: UnsafeMutablePointer<Float>) {
    var start = 0, c = 0
    while start + rowChunk <= n {
        var m = (-Float.infinity, -Float.infinity, -Float.infinity, -Float.infinity,
                 -Float.infinity, -Float.infinity, -Float.infinity, -Float.infinity)
        var i = start
        while i < start + rowChunk {
            let r = row + i, t = item + i
            let v0 = (r[0] - lo) * scale + t[0], v1 = (r[1] - lo) * scale + t[1]
            let v2 = (r[2] - lo) * scale + t[2], v3 = (r[3] - lo) * scale + t[3]
            let v4 = (r[4] - lo) * scale + t[4], v5 = (r[5] - lo) * scale + t[5]
            let v6 = (r[6] - lo) * scale + t[6], v7 = (r[7] - lo) * scale + t[7]
            r[0] = v0; r[1] = v1; r[2] = v2; r[3] = v3; r[4] = v4; r[5] = v5; r[6] = v6; r[7] = v7
            m.0 = v0 > m.0 ? v0 : m.0; m.1 = v1 > m.1 ? v1 : m.1
            m.2 = v2 > m.2 ? v2 : m.2; m.3 = v3 > m.3 ? v3 : m.3
            m.4 = v4 > m.4 ? v4 : m.4; m.5 = v5 > m.5 ? v5 : m.5
            m.6 = v6 > m.6 ? v6 : m.6; m.7 = v7 > m.7 ? v7 : m.7
            i += 8
        }
        chunkMax[c] = max(max(max(m.0, m.1), max(m.2, m.3)), max(max(m.4, m.5), max(m.6, m.7)))
        start += rowChunk
        c += 1
    }
    if start < n {
        var m = -Float.infinity
        for j in start..<n {
            row[j] = (row[j] - lo) * scale + item[j]
            m = max(m, row[j])
        }
        chunkMax[c] = m
    }
}

/// Recomputes chunkMax for the chunk holding index j (after row[j] changed).
@inline(__always) func refreshChunkMax(_ row: UnsafePointer<Float>, count n: Int, chunkMax: UnsafeMutablePointer<Float>, at j: Int) {
    let c = j / rowChunk
    var m = -Float.infinity
    for i in (c * rowChunk)..<min(c * rowChunk + rowChunk, n) { m = max(m, row[i]) }
    chunkMax[c] = m
}

/// The r-th largest (1 ≤ r ≤ count) of x[0..<count] by quickselect with three-way partitioning
/// (robust to many equal values, e.g. −∞); reorders x. The result is a value of x, so it does
/// not depend on the pivots chosen.
func kthLargest(_ x: UnsafeMutablePointer<Float>, count: Int, rank r: Int) -> Float {
    precondition(r >= 1 && r <= count, "rank out of range")
    let target = r - 1
    var lo = 0, hi = count
    while hi - lo > 1 {
        let a = x[lo], b = x[(lo + hi) / 2], c = x[hi - 1]
        let pivot = max(min(a, b), min(max(a, b), c))
        // x[lo..<lt] > pivot, x[lt..<i] == pivot, x[gt..<hi] < pivot.
        var lt = lo, i = lo, gt = hi
        while i < gt {
            let v = x[i]
            if v > pivot {
                x[i] = x[lt]
                x[lt] = v
                lt += 1
                i += 1
            } else if v < pivot {
                gt -= 1
                x[i] = x[gt]
                x[gt] = v
            } else {
                i += 1
            }
        }
        if target < lt { hi = lt } else if target >= gt { lo = gt } else { return pivot }
    }
    return x[lo]
}

/// max of p[0..<32], 8 independent accumulators (maxps).
@inline(__always) func chunkMax32(_ p: UnsafePointer<Float>) -> Float {
    var m = (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
    var j = 8
    while j < rowChunk {
        let q = p + j
        m.0 = q[0] > m.0 ? q[0] : m.0; m.1 = q[1] > m.1 ? q[1] : m.1
        m.2 = q[2] > m.2 ? q[2] : m.2; m.3 = q[3] > m.3 ? q[3] : m.3
        m.4 = q[4] > m.4 ? q[4] : m.4; m.5 = q[5] > m.5 ? q[5] : m.5
        m.6 = q[6] > m.6 ? q[6] : m.6; m.7 = q[7] > m.7 ? q[7] : m.7
        j += 8
    }
    return max(max(max(m.0, m.1), max(m.2, m.3)), max(max(m.4, m.5), max(m.6, m.7)))
}

/// The canonical dot product p·e of `count` floats: eight interleaved partial sums (lane i mod
/// 8), combined pairwise, then the tail — one fixed summation order, so it is the same wherever
/// it is computed, and 8 independent chains keep it fast. Its rounding error is within
/// γ_count·Σ|p_i·e_i| (the bound the batch ranker's margin uses).
@inline(__always) func canonicalDot(_ p: UnsafePointer<Float>, _ e: UnsafePointer<Float>, count d: Int) -> Float {
    var lanes = Lanes8()
    var i = 0
    while i + 8 <= d {
        lanes.add(p + i, e + i)
        i += 8
    }
    var sum = lanes.sum
    while i < d {
        sum += p[i] * e[i]
        i += 1
    }
    return sum
}

extension BlendRanker {
    /// The canonical value of q·X_j: each segment's `canonicalDot`, added in segment order.
    @inline(__always) func exactDot(_ q: UnsafeBufferPointer<Float>, _ j: Int) -> Float {
        let columns = plan.columns
        return plan.matrix.values.withUnsafeBufferPointer { xb in
            var s: Float = 0
            for seg in plan.segments {
                s += canonicalDot(q.baseAddress! + seg.offset, xb.baseAddress! + j * columns + seg.offset, count: seg.width)
            }
            return s
        }
    }

    /// `exactDot` for every index in `js`, into out[j]: four candidates at a time per segment, so
    /// the misses on their (random) rows overlap. Each candidate's sums are the same operations
    /// in the same order as in `exactDot`, so the values are identical.
    func exactDots(_ q: UnsafeBufferPointer<Float>, _ js: UnsafeBufferPointer<Int32>, into out: UnsafeMutableBufferPointer<Float>) {
        let columns = plan.columns
        guard plan.segments.allSatisfy({ $0.width % 8 == 0 }) else {
            for j in js { out[Int(j)] = exactDot(q, Int(j)) }
            return
        }
        plan.matrix.values.withUnsafeBufferPointer { xb in
            guard let x = xb.baseAddress, let qp = q.baseAddress else { return }
            var t = 0
            while t + 4 <= js.count {
                let (j0, j1, j2, j3) = (Int(js[t]), Int(js[t + 1]), Int(js[t + 2]), Int(js[t + 3]))
                var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                for seg in plan.segments {
                    let o = seg.offset
                    let r = dot4(qp + o, x + j0 * columns + o, x + j1 * columns + o, x + j2 * columns + o, x + j3 * columns + o,
                                 count: seg.width)
                    s0 += r.0
                    s1 += r.1
                    s2 += r.2
                    s3 += r.3
                }
                out[j0] = s0
                out[j1] = s1
                out[j2] = s2
                out[j3] = s3
                t += 4
            }
            while t < js.count {
                out[Int(js[t])] = exactDot(q, Int(js[t]))
                t += 1
            }
        }
    }
}

/// Eight interleaved partial sums of p·e (lane i mod 8), combined pairwise: `exactCosine`'s order.
struct Lanes8 {
    var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
    var s4: Float = 0, s5: Float = 0, s6: Float = 0, s7: Float = 0

    @inline(__always) mutating func add(_ p: UnsafePointer<Float>, _ e: UnsafePointer<Float>) {
        s0 += p[0] * e[0]
        s1 += p[1] * e[1]
        s2 += p[2] * e[2]
        s3 += p[3] * e[3]
        s4 += p[4] * e[4]
        s5 += p[5] * e[5]
        s6 += p[6] * e[6]
        s7 += p[7] * e[7]
    }

    @inline(__always) var sum: Float { ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) }
}

/// Four canonical dot products of p with e0…e3 (count a multiple of 8).
@inline(__always) func dot4(_ p: UnsafePointer<Float>, _ e0: UnsafePointer<Float>, _ e1: UnsafePointer<Float>,
                                    _ e2: UnsafePointer<Float>, _ e3: UnsafePointer<Float>, count d: Int) -> (Float, Float, Float, Float) {
    var a = Lanes8(), b = Lanes8(), c = Lanes8(), x = Lanes8()
    var i = 0
    while i < d {
        a.add(p + i, e0 + i)
        b.add(p + i, e1 + i)
        c.add(p + i, e2 + i)
        x.add(p + i, e3 + i)
        i += 8
    }
    return (a.sum, b.sum, c.sum, x.sum)
}
